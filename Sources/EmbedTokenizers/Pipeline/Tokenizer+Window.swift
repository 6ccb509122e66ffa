extension Tokenizer {
    /// The tokens of a text far longer than truncation keeps, from a window of it instead of
    /// the whole text (a 100 MB line would otherwise be tokenized whole, then cut to 256
    /// tokens); `nil` when the text is not that long or no window proved itself, and the
    /// caller tokenizes the whole text.
    ///
    /// Normalizers, pre-tokenizers and models work on small neighbourhoods, so the tokens far
    /// from a cut are those of the whole text. A window is used only when it gives more than
    /// `budget` tokens plus a margin, and a window twice as long gives the same kept tokens
    /// (ids and offsets): that catches a cut that would change a token far away, such as a
    /// word over WordPiece's word length turned into `[UNK]` in one and not the other. The
    /// windows are cut at whitespace where there is some, never before a combining mark.
    func windowedSequence(
        _ text: String, budget: Int, direction: Truncation.Direction, typeId: Int, scratch: inout EncodeScratch
    ) -> SequenceEncoding? {
        let threshold = Swift.max(Self.windowThreshold, 64 * budget)
        guard text.utf8.count > threshold else { return nil }
        let scalars = text.unicodeScalars
        var length = threshold / 2
        while true {
            guard let (short, shortStart) = window(scalars, length: length, direction),
                let (long, longStart) = window(scalars, length: 2 * length, direction)
            else { return nil }
            var first = encodeSequence(short, typeId: typeId, scratch: &scratch)
            var second = encodeSequence(long, typeId: typeId, scratch: &scratch)
            first.shiftOffsets(by: shortStart)
            second.shiftOffsets(by: longStart)
            let needed = budget + Self.windowMargin
            if first.count >= needed, second.count >= needed {
                first.truncate(to: budget, direction: direction)
                second.truncate(to: budget, direction: direction)
                if first.ids == second.ids, first.offsets == second.offsets { return first }
            }
            length *= 4
        }
    }

    /// Texts shorter than this many UTF-8 bytes (or 64 per kept token) are tokenized whole.
    static var windowThreshold: Int { 16_384 }
    /// Tokens a window must give beyond the kept ones.
    static var windowMargin: Int { 16 }

    /// The first (right truncation) or last (left) `length` scalars or so of `scalars`, and
    /// the scalar index the window starts at; `nil` when the window would be the whole text.
    private func window(
        _ scalars: String.UnicodeScalarView, length: Int, _ direction: Truncation.Direction
    ) -> (String, Int)? {
        switch direction {
        case .right:
            guard var end = scalars.index(scalars.startIndex, offsetBy: length, limitedBy: scalars.endIndex),
                end < scalars.endIndex
            else { return nil }
            end = Self.cut(scalars, near: end, forward: true)
            guard end < scalars.endIndex else { return nil }
            return (String(scalars[..<end]), 0)
        case .left:
            guard var start = scalars.index(scalars.endIndex, offsetBy: -length, limitedBy: scalars.startIndex),
                start > scalars.startIndex
            else { return nil }
            start = Self.cut(scalars, near: start, forward: false)
            guard start > scalars.startIndex else { return nil }
            return (String(scalars[start...]), scalars.distance(from: scalars.startIndex, to: start))
        }
    }

    /// A cut near `index`: at whitespace within 256 scalars (searching away from the kept
    /// side), else at the first scalar that is no combining mark or joiner.
    private static func cut(
        _ scalars: String.UnicodeScalarView, near index: String.UnicodeScalarView.Index, forward: Bool
    ) -> String.UnicodeScalarView.Index {
        var position = index
        for _ in 0..<256 {
            if position == scalars.endIndex || position == scalars.startIndex { return position }
            if scalars[position].properties.isWhitespace { return position }
            position = forward ? scalars.index(after: position) : scalars.index(before: position)
        }
        position = index
        while position > scalars.startIndex, position < scalars.endIndex, attaches(scalars[position]) {
            position = forward ? scalars.index(after: position) : scalars.index(before: position)
        }
        return position
    }

    /// Whether a scalar belongs with the one before it (a combining mark, a joiner or a
    /// variation selector).
    private static func attaches(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format: return true
        default: return scalar.properties.isVariationSelector
        }
    }
}

extension SequenceEncoding {
    /// Moves every offset by `distance` scalars (a window's tokens, placed in the whole text).
    mutating func shiftOffsets(by distance: Int) {
        guard distance != 0 else { return }
        offsets = offsets.map { ($0.lowerBound + distance)..<($0.upperBound + distance) }
    }
}
