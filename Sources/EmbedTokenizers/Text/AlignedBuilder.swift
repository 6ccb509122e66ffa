/// Rewrites a `NormalizedText` the way `NormalizedString::transform` does in Hugging Face
/// `tokenizers`, so that every new scalar gets exactly the alignment the library gives it.
///
/// The library describes a rewrite as a list of `(character, change)`: a change of 0
/// replaces the character at the cursor, `-n` replaces it and removes the `n` following
/// ones, a positive change inserts a new character. A replacing character takes the
/// alignment of the character at the cursor; an inserted one takes the alignment of the
/// character just before the cursor (of the text being rewritten), or the empty range at
/// the start of that text when the cursor is at its beginning. Characters left after the
/// cursor when the rewrite ends are dropped.
struct AlignedBuilder {
    let source: NormalizedText
    /// The original offset the text being rewritten starts at (for insertions at its start).
    let origin: Int32
    var output = NormalizedText()
    /// The index in `source` of the next character to replace.
    private(set) var cursor: Int

    /// A rewrite of `source`, skipping `initialOffset` removed characters at its start.
    init(_ source: NormalizedText, origin: Int32, initialOffset: Int = 0) {
        self.source = source
        self.origin = origin
        cursor = initialOffset
        output.reserveCapacity(source.count + source.count / 4 + 2)
    }

    /// `scalar` with a change as `tokenizers` gives it.
    @inline(__always)
    mutating func emit(_ scalar: UInt32, change: Int) {
        if change > 0 { insert(scalar) } else { replace(with: scalar, removing: -change) }
    }

    /// `scalar` replacing the character at the cursor, which then skips `removed` more.
    @inline(__always)
    mutating func replace(with scalar: UInt32, removing removed: Int = 0) {
        if cursor < source.count {
            output.append(scalar, start: source.starts[cursor], end: source.ends[cursor])
        } else {
            // The library would read past its alignments here; nothing it accepts gets here,
            // and an empty range at the end keeps the result well formed.
            let end = source.isEmpty ? origin : source.ends[source.count - 1]
            output.append(scalar, start: end, end: end)
        }
        cursor += 1 + removed
    }

    /// `scalar` inserted before the cursor.
    @inline(__always)
    mutating func insert(_ scalar: UInt32) {
        if cursor > 0 {
            let index = min(cursor, source.count) - 1
            if index >= 0 {
                output.append(scalar, start: source.starts[index], end: source.ends[index])
                return
            }
        }
        output.append(scalar, start: origin, end: origin)
    }

    /// Copies the character at the cursor unchanged.
    @inline(__always)
    mutating func keep() {
        output.append(from: source, at: cursor)
        cursor += 1
    }

    /// Skips the character at the cursor.
    @inline(__always)
    mutating func skip(_ count: Int = 1) {
        cursor += count
    }
}
