/// A hand-written matcher for GPT-2's split expression, which the ByteLevel pre-tokenizer
/// always uses:
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// with Oniguruma's classes. Every character starts some alternative, so the matches tile
/// the piece and are found in one left-to-right pass. It gives the same pieces as the
/// general engine (`RegexProgram`) on that expression, several times faster.
enum GPT2Splitter {
    /// The expression, for the general engine (tests compare both).
    static let pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    private enum Kind: UInt8 { case letter, number, space, other }

    private static let letterMask: UInt32 = UnicodeProperties.categoryMask(named: "L") ?? 0
    private static let numberMask: UInt32 = UnicodeProperties.categoryMask(named: "N") ?? 0

    private static let asciiKinds: [Kind] = (0..<128).map { kind(UInt32($0)) }

    @inline(__always)
    private static func classify(_ scalar: UInt32) -> Kind {
        scalar < 128 ? asciiKinds[Int(scalar)] : kind(scalar)
    }

    private static func kind(_ scalar: UInt32) -> Kind {
        let category = UInt32(1) << UInt32(UnicodeProperties.category(scalar))
        if category & letterMask != 0 { return .letter }
        if category & numberMask != 0 { return .number }
        if UnicodeProperties.regexSpace.contains(scalar) { return .space }
        return .other
    }

    /// Appends the matches of the expression in `scalars[piece]`.
    static func split(_ scalars: [UInt32], _ piece: Range<Int>, into pieces: inout [Range<Int>]) {
        let end = piece.upperBound
        var index = piece.lowerBound
        while index < end {
            let start = index
            let scalar = scalars[index]
            if scalar == 0x27, let length = contraction(scalars, at: index + 1, end: end) {
                index += 1 + length
                pieces.append(start..<index)
                continue
            }
            var kind = classify(scalar)
            var runStart = index
            if scalar == 0x20 && index + 1 < end {
                // ` ?X+`: a space joins the run of letters, numbers or other symbols after it.
                let next = classify(scalars[index + 1])
                if next != .space {
                    kind = next
                    runStart = index + 1
                }
            }
            if kind != .space {
                index = runStart + 1
                while index < end && classify(scalars[index]) == kind { index += 1 }
                pieces.append(start..<index)
                continue
            }
            // `\s+(?!\S)|\s+`: a run of spaces leaves its last one to the word after it.
            index += 1
            while index < end && classify(scalars[index]) == .space { index += 1 }
            if index < end && index - start > 1 { index -= 1 }
            pieces.append(start..<index)
        }
    }

    /// The length after the apostrophe of `'s 't 're 've 'm 'll 'd` at `index`, if any.
    private static func contraction(_ scalars: [UInt32], at index: Int, end: Int) -> Int? {
        guard index < end else { return nil }
        switch scalars[index] {
        case 0x73, 0x74, 0x6D, 0x64: return 1  // s t m d
        case 0x72, 0x76:  // r v
            return index + 1 < end && scalars[index + 1] == 0x65 ? 2 : nil
        case 0x6C:  // l
            return index + 1 < end && scalars[index + 1] == 0x6C ? 2 : nil
        default: return nil
        }
    }
}
