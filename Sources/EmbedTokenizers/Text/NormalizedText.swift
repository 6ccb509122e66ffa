/// Text as Unicode scalar values, each aligned with the range of original scalars it
/// came from, so that offsets can always be given in the caller's text.
///
/// This is the `NormalizedString` of Hugging Face `tokenizers`, counted in scalars instead
/// of bytes: there, every byte of a normalized character carries the same alignment, so one
/// alignment per scalar says the same thing.
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
    var isEmpty: Bool { scalars.isEmpty }

    mutating func reserveCapacity(_ capacity: Int) {
        scalars.reserveCapacity(capacity)
        starts.reserveCapacity(capacity)
        ends.reserveCapacity(capacity)
    }

    mutating func removeAll(keepingCapacity: Bool) {
        scalars.removeAll(keepingCapacity: keepingCapacity)
        starts.removeAll(keepingCapacity: keepingCapacity)
        ends.removeAll(keepingCapacity: keepingCapacity)
    }

    @inline(__always)
    mutating func append(_ scalar: UInt32, start: Int32, end: Int32) {
        scalars.append(scalar)
        starts.append(start)
        ends.append(end)
    }

    /// Appends `source[index]` unchanged.
    @inline(__always)
    mutating func append(from source: NormalizedText, at index: Int) {
        append(source.scalars[index], start: source.starts[index], end: source.ends[index])
    }

    /// The original range covered by the normalized scalars in `range` (the start of its
    /// first scalar to the end of its last, as `tokenizers` computes it).
    func originalRange(of range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty else { return 0..<0 }
        let start = Int(starts[range.lowerBound])
        // Alignments only move forward, so the end is never before the start; the guard
        // keeps a malformed range from ever being built.
        return start..<max(start, Int(ends[range.upperBound - 1]))
    }
}

/// Normalized text cut into pieces ("words") by a pre-tokenizer.
struct PreTokenizedText {
    var text: NormalizedText
    /// Non-empty ranges of `text` that the model tokenizes one by one, in order.
    var pieces: [Range<Int>]
}
