/// How token vectors become one sentence vector, as sentence-transformers' `Pooling`
/// module does it. Several modes may be on at once: their results are concatenated, in
/// sentence-transformers' legacy order (CLS, max, mean, mean-sqrt-len, weighted mean, last
/// token) for the boolean `pooling_mode_*` keys, or in the order a `pooling_mode` list gives.
public struct Pooling: Sendable, Equatable, CustomStringConvertible {
    /// One pooling mode.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// The first token's vector (`[CLS]`).
        case cls
        /// The element-wise maximum over real tokens.
        case max
        /// The mean over real tokens (attention mask 1).
        case mean
        /// The sum over real tokens divided by the square root of their count.
        case meanSqrtLen = "mean_sqrt_len"
        /// The mean weighted by position (1, 2, 3, …).
        case weightedMean = "weightedmean"
        /// The last real token's vector.
        case lastToken = "lasttoken"
    }

    /// The modes, in concatenation order.
    public var modes: [Mode]
    /// Whether prompt tokens take part in pooling (sentence-transformers' `include_prompt`).
    public var includePrompt: Bool

    /// Creates a pooling with the given modes (at least one), concatenated in the legacy
    /// order whatever the order given.
    public init(_ modes: [Mode], includePrompt: Bool = true) throws(EmbedCoreError) {
        try self.init(ordered: Mode.allCases.filter { modes.contains($0) }, includePrompt: includePrompt)
    }

    /// Creates a pooling whose modes are concatenated in the order given (sentence-transformers'
    /// `pooling_mode` list); a mode given twice is an error.
    public init(ordered modes: [Mode], includePrompt: Bool = true) throws(EmbedCoreError) {
        guard !modes.isEmpty else {
            throw EmbedCoreError(.invalidConfiguration, "pooling needs at least one mode")
        }
        guard Set(modes).count == modes.count else {
            throw EmbedCoreError(.invalidConfiguration, "pooling mode listed twice in \(modes.map(\.rawValue))")
        }
        self.modes = modes
        self.includePrompt = includePrompt
    }

    /// Mean pooling, the most common choice.
    public static let mean = Pooling(modes: [.mean], includePrompt: true)

    /// The first token's vector (BGE and other CLS-trained models).
    public static let cls = Pooling(modes: [.cls], includePrompt: true)

    private init(modes: [Mode], includePrompt: Bool) {
        self.modes = modes
        self.includePrompt = includePrompt
    }

    /// The modes joined with `+`, e.g. `mean` or `cls+mean`.
    public var description: String { modes.map(\.rawValue).joined(separator: "+") }

    /// The size of the pooled vector for token vectors of `dimension` values.
    public func outputDimension(for dimension: Int) -> Int { dimension * modes.count }

    /// Pools token vectors into one vector per sequence.
    ///
    /// - Parameters:
    ///   - hidden: `[batch, sequence, dimension]` values, row-major.
    ///   - attentionMask: `[batch, sequence]`, 1 for real tokens and 0 for padding (padding on
    ///     the right).
    ///   - promptLengths: per row, the number of leading tokens that belong to a prompt (the
    ///     start token included); empty when no row has one. Without ``includePrompt`` they take no part in pooling,
    ///     as in sentence-transformers: the CLS mode then takes the first token after them.
    /// - Returns: `batch` vectors of ``outputDimension(for:)`` values.
    public func pool(
        _ hidden: Span<Float>, batch: Int, sequence: Int, dimension: Int, attentionMask: [Int], promptLengths: [Int] = []
    ) throws(EmbedCoreError) -> [[Float]] {
        guard batch >= 0, sequence >= 0, dimension > 0, hidden.count == batch * sequence * dimension else {
            throw EmbedCoreError(
                .shapeMismatch,
                "hidden states hold \(hidden.count) values, expected batch \(batch) × sequence \(sequence) × dimension \(dimension)")
        }
        guard attentionMask.count == batch * sequence else {
            throw EmbedCoreError(
                .shapeMismatch, "attention mask holds \(attentionMask.count) values, expected \(batch) × \(sequence)")
        }
        guard promptLengths.isEmpty || promptLengths.count == batch else {
            throw EmbedCoreError(.shapeMismatch, "\(promptLengths.count) prompt lengths for \(batch) rows")
        }
        if let negative = promptLengths.first(where: { $0 < 0 }) {
            throw EmbedCoreError(.invalidArgument, "prompt length must not be negative, got \(negative)")
        }
        var attentionMask = attentionMask
        if !includePrompt {
            for (row, promptLength) in promptLengths.enumerated() where promptLength > 0 {
                for position in 0..<Swift.min(promptLength, sequence) { attentionMask[row * sequence + position] = 0 }
            }
        }
        var result: [[Float]] = []
        result.reserveCapacity(batch)
        for row in 0..<batch {
            var vector: [Float] = []
            vector.reserveCapacity(dimension * modes.count)
            let maskStart = row * sequence
            let base = row * sequence * dimension
            for mode in modes {
                switch mode {
                case .cls:
                    // The first token the mask keeps (position 0 when it keeps none), as
                    // sentence-transformers' argmax over the mask does.
                    let first = (0..<sequence).first { attentionMask[maskStart + $0] != 0 } ?? 0
                    for d in 0..<dimension { vector.append(sequence > 0 ? hidden[base + first * dimension + d] : 0) }
                case .max:
                    vector += Self.maxPool(hidden, base: base, mask: attentionMask, maskStart: maskStart, sequence: sequence, dimension: dimension)
                case .mean, .meanSqrtLen, .weightedMean:
                    vector += Self.weightedSum(hidden, base: base, mask: attentionMask, maskStart: maskStart, sequence: sequence, dimension: dimension, mode: mode)
                case .lastToken:
                    let last = (0..<sequence).last { attentionMask[maskStart + $0] != 0 }
                    for d in 0..<dimension { vector.append(last.map { hidden[base + $0 * dimension + d] } ?? 0) }
                }
            }
            result.append(vector)
        }
        return result
    }

    /// Pools a flat array (see ``pool(_:batch:sequence:dimension:attentionMask:)``).
    public func pool(
        _ hidden: [Float], batch: Int, sequence: Int, dimension: Int, attentionMask: [Int], promptLengths: [Int] = []
    ) throws(EmbedCoreError) -> [[Float]] {
        try pool(
            hidden.span, batch: batch, sequence: sequence, dimension: dimension, attentionMask: attentionMask,
            promptLengths: promptLengths)
    }

    /// Sum of `weight × vector` over masked tokens, divided as the mode says. Accumulates
    /// in `Float` over the sequence, as PyTorch does.
    private static func weightedSum(
        _ hidden: Span<Float>, base: Int, mask: [Int], maskStart: Int, sequence: Int, dimension: Int, mode: Mode
    ) -> [Float] {
        var sums = [Float](repeating: 0, count: dimension)
        var totalWeight: Float = 0
        for position in 0..<sequence where mask[maskStart + position] != 0 {
            let weight: Float = mode == .weightedMean ? Float(position + 1) : 1
            totalWeight += weight
            let offset = base + position * dimension
            for d in 0..<dimension { sums[d] += weight * hidden[offset + d] }
        }
        // sentence-transformers clamps the divisor at 1e-9 so that an all-padding row gives zeros.
        let divisor: Float = switch mode {
        case .meanSqrtLen: max(totalWeight, 1e-9).squareRoot()
        default: max(totalWeight, 1e-9)
        }
        for d in 0..<dimension { sums[d] /= divisor }
        return sums
    }

    private static func maxPool(
        _ hidden: Span<Float>, base: Int, mask: [Int], maskStart: Int, sequence: Int, dimension: Int
    ) -> [Float] {
        // sentence-transformers sets padding positions to -1e9 before taking the maximum.
        var maxima = [Float](repeating: -1e9, count: dimension)
        for position in 0..<sequence where mask[maskStart + position] != 0 {
            let offset = base + position * dimension
            for d in 0..<dimension { maxima[d] = Swift.max(maxima[d], hidden[offset + d]) }
        }
        return maxima
    }
}
