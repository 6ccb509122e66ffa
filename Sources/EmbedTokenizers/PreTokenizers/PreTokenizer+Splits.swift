extension PreTokenizer {
    /// Splits each piece on whitespace (dropped) and, when asked, on punctuation (kept,
    /// one character per piece), as `BertPreTokenizer` / `WhitespaceSplit` do.
    static func split(_ scalars: [UInt32], pieces: [Range<Int>], isolatePunctuation: Bool) -> [Range<Int>] {
        var result: [Range<Int>] = []
        result.reserveCapacity(pieces.count + scalars.count / 4)
        for piece in pieces {
            var wordStart = piece.lowerBound
            for index in piece {
                let scalar = scalars[index]
                let kind = classify(scalar, bert: isolatePunctuation)
                if kind == .whitespace {
                    if wordStart < index { result.append(wordStart..<index) }
                    wordStart = index + 1
                } else if kind == .punctuation && isolatePunctuation {
                    if wordStart < index { result.append(wordStart..<index) }
                    result.append(index..<(index + 1))
                    wordStart = index + 1
                }
            }
            if wordStart < piece.upperBound { result.append(wordStart..<piece.upperBound) }
        }
        return result
    }

    enum Kind { case word, whitespace, punctuation }

    /// BERT's classes, or (when `bert` is false) Rust's `char::is_whitespace` alone.
    static func classify(_ scalar: UInt32, bert: Bool) -> Kind {
        if scalar < 0x80 {
            let kind = asciiKinds[Int(scalar)]
            return bert || kind != .punctuation ? kind : .word
        }
        if !bert { return UnicodeProperties.whitespace.contains(scalar) ? .whitespace : .word }
        let flags = UnicodeTables.flags(scalar)
        if flags.contains(.bertWhitespace) { return .whitespace }
        if flags.contains(.bertPunctuation) { return .punctuation }
        return .word
    }

    static let asciiKinds: [Kind] = (0..<128).map { scalar in
        let flags = UnicodeTables.flags(UInt32(scalar))
        if flags.contains(.bertWhitespace) { return .whitespace }
        if flags.contains(.bertPunctuation) { return .punctuation }
        return .word
    }

    /// `Whitespace`: the matches of `\w+|[^\w\s]+` are kept, the rest (whitespace) dropped.
    /// The library runs this expression with the `regex` crate, whose `\w` and `\s` differ
    /// from Oniguruma's.
    static func splitWords(_ text: inout PreTokenizedText, scratch: inout EncodeScratch) {
        scratch.pieces.removeAll(keepingCapacity: true)
        let scalars = text.text.scalars
        for piece in text.pieces {
            var index = piece.lowerBound
            while index < piece.upperBound {
                let isWord = UnicodeProperties.wordCharacter.contains(scalars[index])
                if !isWord && UnicodeProperties.isWhitespace(scalars[index]) {
                    index += 1
                    continue
                }
                let start = index
                index += 1
                while index < piece.upperBound {
                    let scalar = scalars[index]
                    let nextIsWord = UnicodeProperties.wordCharacter.contains(scalar)
                    if nextIsWord != isWord || (!isWord && UnicodeProperties.isWhitespace(scalar)) { break }
                    index += 1
                }
                scratch.pieces.append(start..<index)
            }
        }
        swap(&text.pieces, &scratch.pieces)
    }

    /// A split whose pattern is a character test: every matching character is a match of
    /// its own (the library's `Fn(char) -> bool` pattern).
    static func splitCharacters(
        _ text: inout PreTokenizedText, behavior: SplitBehavior, scratch: inout EncodeScratch,
        _ matches: (UInt32) -> Bool
    ) {
        scratch.pieces.removeAll(keepingCapacity: true)
        let scalars = text.text.scalars
        for piece in text.pieces {
            scratch.splits.removeAll(keepingCapacity: true)
            var last = piece.lowerBound
            for index in piece where matches(scalars[index]) {
                if last < index { scratch.splits.append(Split(range: last..<index, isMatch: false)) }
                scratch.splits.append(Split(range: index..<(index + 1), isMatch: true))
                last = index + 1
            }
            if last < piece.upperBound { scratch.splits.append(Split(range: last..<piece.upperBound, isMatch: false)) }
            behavior.apply(scratch.splits, into: &scratch.pieces)
        }
        swap(&text.pieces, &scratch.pieces)
    }

    /// `Split`: the matches of a literal or regular expression, possibly inverted.
    static func splitPattern(
        _ text: inout PreTokenizedText, pattern: TextPattern, behavior: SplitBehavior, invert: Bool,
        scratch: inout EncodeScratch
    ) {
        scratch.pieces.removeAll(keepingCapacity: true)
        for piece in text.pieces {
            pattern.splits(in: text.text.scalars, bounds: piece, scratch: &scratch.regex, into: &scratch.splits)
            if invert {
                for index in scratch.splits.indices { scratch.splits[index].isMatch.toggle() }
            }
            behavior.apply(scratch.splits, into: &scratch.pieces)
        }
        swap(&text.pieces, &scratch.pieces)
    }
}
