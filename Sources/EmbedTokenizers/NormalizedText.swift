/// Text as Unicode scalar values, each aligned with the range of original scalars it
/// came from, so that offsets can always be given in the caller's text.
struct NormalizedText {
    /// The scalar values.
    var scalars: [UInt32] = []
    /// For each scalar, the offset (in Unicode scalars of the original text) where its source starts.
    var starts: [Int32] = []
    /// For each scalar, the offset where its source ends.
    var ends: [Int32] = []

    init() {}

    /// The scalars of `original[range]`, each aligned with itself.
    init(_ original: [UInt32], range: Range<Int>) {
        scalars = Array(original[range])
        starts = range.map { Int32($0) }
        ends = range.map { Int32($0 + 1) }
    }

    var count: Int { scalars.count }

    mutating func reserveCapacity(_ capacity: Int) {
        scalars.reserveCapacity(capacity)
        starts.reserveCapacity(capacity)
        ends.reserveCapacity(capacity)
    }

    mutating func append(_ scalar: UInt32, start: Int32, end: Int32) {
        scalars.append(scalar)
        starts.append(start)
        ends.append(end)
    }

    /// The original range covered by the normalized scalars in `range`.
    func originalRange(of range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty else { return 0..<0 }
        return Int(starts[range.lowerBound])..<Int(ends[range.upperBound - 1])
    }
}

/// Normalized text cut into pieces ("words") by a pre-tokenizer.
struct PreTokenizedText {
    var text: NormalizedText
    /// Ranges of `text` that the model tokenizes one by one.
    var pieces: [Range<Int>]
}
