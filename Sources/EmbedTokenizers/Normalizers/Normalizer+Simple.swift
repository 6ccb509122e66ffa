extension Normalizer {
    /// Keeps the characters for which `keep` holds (each with its own alignment).
    static func filter(_ text: NormalizedText, keep: (UInt32) -> Bool) -> NormalizedText {
        var output = NormalizedText()
        output.reserveCapacity(text.count)
        for index in 0..<text.count where keep(text.scalars[index]) { output.append(from: text, at: index) }
        return output
    }

    /// Removes leading and/or trailing whitespace (Rust's `char::is_whitespace`).
    static func strip(_ text: NormalizedText, left: Bool, right: Bool) -> NormalizedText {
        var lower = 0
        var upper = text.count
        if left { while lower < upper && UnicodeProperties.isWhitespace(text.scalars[lower]) { lower += 1 } }
        if right { while upper > lower && UnicodeProperties.isWhitespace(text.scalars[upper - 1]) { upper -= 1 } }
        if lower == 0 && upper == text.count { return text }
        var output = NormalizedText()
        output.reserveCapacity(upper - lower)
        for index in lower..<upper { output.append(from: text, at: index) }
        return output
    }

    /// Puts `prefix` in front of a non-empty text; it takes the first character's alignment.
    static func prepend(_ prefix: [UInt32], to text: NormalizedText) -> NormalizedText {
        guard !text.isEmpty else { return text }
        var output = NormalizedText()
        output.reserveCapacity(text.count + prefix.count)
        for scalar in prefix { output.append(scalar, start: text.starts[0], end: text.ends[0]) }
        for index in 0..<text.count { output.append(from: text, at: index) }
        return output
    }

    /// Replaces every match of `pattern` with `content`. The new characters take the
    /// alignment of the last character of the match, or, for an empty match, of the
    /// character before it (the empty range at `origin` at the start of the text), as the
    /// library's `replace` gives them.
    static func replace(
        _ text: NormalizedText, pattern: TextPattern, content: [UInt32], origin: Int32, scratch: inout EncodeScratch
    ) -> NormalizedText {
        var output = NormalizedText()
        var copied = 0
        var changed = false
        pattern.forEachMatch(in: text.scalars, bounds: 0..<text.count, scratch: &scratch.regex) { match in
            if !changed {
                output.reserveCapacity(text.count + content.count * 4)
                changed = true
            }
            while copied < match.lowerBound {
                output.append(from: text, at: copied)
                copied += 1
            }
            let alignment: (Int32, Int32)
            if !match.isEmpty {
                alignment = (text.starts[match.upperBound - 1], text.ends[match.upperBound - 1])
            } else if output.count > 0 {
                alignment = (output.starts[output.count - 1], output.ends[output.count - 1])
            } else {
                alignment = (origin, origin)
            }
            for scalar in content { output.append(scalar, start: alignment.0, end: alignment.1) }
            copied = match.upperBound
        }
        guard changed else { return text }
        while copied < text.count {
            output.append(from: text, at: copied)
            copied += 1
        }
        return output
    }

    /// The `Nmt` normalizer: removes some control characters and turns some others into spaces.
    static func nmt(_ text: NormalizedText) -> NormalizedText {
        var output = NormalizedText()
        output.reserveCapacity(text.count)
        for index in 0..<text.count {
            let scalar = text.scalars[index]
            switch scalar {
            case 0x01...0x08, 0x0B, 0x0E...0x1F, 0x7F, 0x8F, 0x9F:
                continue
            case 0x09, 0x0A, 0x0C, 0x0D, 0x1680, 0x200B...0x200F, 0x2028, 0x2029, 0x2581, 0xFEFF, 0xFFFD:
                output.append(0x20, start: text.starts[index], end: text.ends[index])
            default:
                output.append(from: text, at: index)
            }
        }
        return output
    }
}
