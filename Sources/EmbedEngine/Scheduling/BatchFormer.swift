/// Chooses which queued inputs run together in the next model batch.
///
/// The oldest queued input always goes in (nothing waits forever); the others are taken in
/// order of how close their length is to it (then shorter first, then by age), while the
/// batch stays under a cap on inputs, under a token budget that counts the padded size
/// (inputs × longest) and under a cap on padding (padded tokens ÷ real tokens). An input that
/// would pad the batch too much waits for a batch of its own length: on a CPU, running
/// padding costs more than running a smaller batch.
enum BatchFormer {
    /// The limits of one batch.
    struct Limits: Sendable, Equatable {
        /// The most inputs in one batch.
        var maxBatchSize: Int
        /// The most padded tokens (inputs × longest) in one batch.
        var maxBatchTokens: Int
        /// The most padded tokens per real token in one batch (at least 1).
        var maxPaddingRatio: Double = .infinity
    }

    /// Positions in `lengths` (queued inputs, oldest first) to run next, at least one when
    /// `lengths` is not empty. The first position is always 0.
    static func select(lengths: [Int], limits: Limits) -> [Int] {
        guard let first = lengths.first else { return [] }
        var chosen = [0]
        var longest = first
        var real = first
        guard lengths.count > 1, limits.maxBatchSize > 1 else { return chosen }
        let candidates = (1..<lengths.count).sorted { lhs, rhs in
            let left = abs(lengths[lhs] - first)
            let right = abs(lengths[rhs] - first)
            if left != right { return left < right }
            // Equally close: the shorter one does not raise the padded length.
            return lengths[lhs] != lengths[rhs] ? lengths[lhs] < lengths[rhs] : lhs < rhs
        }
        for candidate in candidates {
            let padded = max(longest, lengths[candidate])
            let total = (chosen.count + 1) * padded
            guard total <= limits.maxBatchTokens,
                Double(total) <= limits.maxPaddingRatio * Double(real + lengths[candidate])
            else { continue }
            chosen.append(candidate)
            longest = padded
            real += lengths[candidate]
            if chosen.count == limits.maxBatchSize { break }
        }
        return chosen
    }

    /// The padded tokens of a batch of inputs of `lengths`.
    static func paddedTokens(_ lengths: [Int]) -> Int {
        lengths.count * (lengths.max() ?? 0)
    }
}
