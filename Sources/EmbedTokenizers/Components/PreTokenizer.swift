import EmbedCore

/// A `tokenizer.json` pre-tokenizer: cuts normalized text into pieces ("words").
enum PreTokenizer: Sendable, Equatable, Decodable {
    /// Splits on whitespace (removed) and on punctuation (each punctuation character is a piece).
    case bert
    /// Splits on whitespace (removed).
    case whitespaceSplit
    /// Applies several pre-tokenizers in order.
    case sequence([PreTokenizer])

    static let supportedTypes = ["BertPreTokenizer", "WhitespaceSplit", "Sequence"]

    init(from decoder: any Decoder) throws {
        let type = try decoder.componentType("pre_tokenizer")
        switch type {
        case "BertPreTokenizer":
            try decoder.rejectUnknownKeys(["type"], in: "pre_tokenizer BertPreTokenizer")
            self = .bert
        case "WhitespaceSplit":
            try decoder.rejectUnknownKeys(["type"], in: "pre_tokenizer WhitespaceSplit")
            self = .whitespaceSplit
        case "Sequence":
            try decoder.rejectUnknownKeys(["type", "pretokenizers"], in: "pre_tokenizer Sequence")
            let container = try decoder.container(keyedBy: AnyCodingKey.self)
            self = .sequence(try container.value([PreTokenizer].self, "pretokenizers"))
        default:
            throw unsupported("pre_tokenizer", type, supported: Self.supportedTypes)
        }
    }

    func split(_ text: inout PreTokenizedText) {
        switch self {
        case .bert:
            text.pieces = Self.split(text.text.scalars, pieces: text.pieces, isolatePunctuation: true)
        case .whitespaceSplit:
            text.pieces = Self.split(text.text.scalars, pieces: text.pieces, isolatePunctuation: false)
        case .sequence(let preTokenizers):
            for preTokenizer in preTokenizers { preTokenizer.split(&text) }
        }
    }

    /// Splits each piece on whitespace (dropped) and, when asked, on punctuation (kept,
    /// one character per piece), as `BertPreTokenizer` / `WhitespaceSplit` do.
    static func split(_ scalars: [UInt32], pieces: [Range<Int>], isolatePunctuation: Bool) -> [Range<Int>] {
        var result: [Range<Int>] = []
        result.reserveCapacity(pieces.count + scalars.count / 4)
        for piece in pieces {
            var wordStart = piece.lowerBound
            for index in piece {
                let scalar = scalars[index]
                let kind = classify(scalar)
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

    static func classify(_ scalar: UInt32) -> Kind {
        if scalar < 0x80 {
            return asciiKinds[Int(scalar)]
        }
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
}
