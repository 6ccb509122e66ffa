import EmbedCore

/// A `tokenizer.json` pre-tokenizer: cuts normalized text into pieces ("words"), and for
/// some types rewrites them (Metaspace, ByteLevel).
indirect enum PreTokenizer: Sendable, Decodable {
    /// Splits on whitespace (removed) and on punctuation (each punctuation character is a piece).
    case bert
    /// Runs of word characters and runs of other non-space characters (`\w+|[^\w\s]+`).
    case whitespace
    /// Splits on whitespace (removed).
    case whitespaceSplit
    /// Splits on punctuation characters.
    case punctuation(SplitBehavior)
    /// Splits on digits: each one alone, or runs of them.
    case digits(individual: Bool)
    /// Splits on one character (removed).
    case charDelimiter(UInt32)
    /// Spaces become a visible marker that starts each word (SentencePiece style).
    case metaspace(Metaspace)
    /// GPT-2's split and byte-to-character mapping.
    case byteLevel(ByteLevel)
    /// Splits on a pattern.
    case split(pattern: TextPattern, behavior: SplitBehavior, invert: Bool)
    /// Applies several pre-tokenizers in order.
    case sequence([PreTokenizer])

    static let supportedTypes = [
        "BertPreTokenizer", "ByteLevel", "CharDelimiterSplit", "Digits", "Metaspace", "Punctuation", "Sequence", "Split",
        "Whitespace", "WhitespaceSplit",
    ]

    init(from decoder: any Decoder) throws {
        let type = try decoder.componentType("pre_tokenizer")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        let name = "pre_tokenizer \(type)"
        switch type {
        case "BertPreTokenizer":
            try decoder.rejectUnknownKeys(["type"], in: name)
            self = .bert
        case "Whitespace":
            try decoder.rejectUnknownKeys(["type"], in: name)
            self = .whitespace
        case "WhitespaceSplit":
            try decoder.rejectUnknownKeys(["type"], in: name)
            self = .whitespaceSplit
        case "Punctuation":
            try decoder.rejectUnknownKeys(["type", "behavior"], in: name)
            self = .punctuation(try container.optional(SplitBehavior.self, "behavior") ?? .isolated)
        case "Digits":
            try decoder.rejectUnknownKeys(["type", "individual_digits"], in: name)
            self = .digits(individual: try container.optional(Bool.self, "individual_digits") ?? false)
        case "CharDelimiterSplit":
            try decoder.rejectUnknownKeys(["type", "delimiter"], in: name)
            let delimiter = try container.value(String.self, "delimiter").unicodeScalars
            guard delimiter.count == 1, let scalar = delimiter.first else {
                throw TokenizerError(.invalidConfiguration, "\(name) delimiter must be one character")
            }
            self = .charDelimiter(scalar.value)
        case "Metaspace":
            self = .metaspace(try Metaspace(from: decoder))
        case "ByteLevel":
            self = .byteLevel(try ByteLevel(from: decoder, in: name))
        case "Split":
            try decoder.rejectUnknownKeys(["type", "pattern", "behavior", "invert"], in: name)
            self = .split(
                pattern: try container.value(TextPattern.self, "pattern"),
                behavior: try container.value(SplitBehavior.self, "behavior"),
                invert: try container.optional(Bool.self, "invert") ?? false)
        case "Sequence":
            try decoder.rejectUnknownKeys(["type", "pretokenizers"], in: name)
            self = .sequence(try container.value([PreTokenizer].self, "pretokenizers"))
        default:
            throw unsupported("pre_tokenizer", type, supported: Self.supportedTypes)
        }
    }

    /// Cuts (and, for some types, rewrites) the pieces of `text`.
    func split(_ text: inout PreTokenizedText, scratch: inout EncodeScratch) {
        switch self {
        case .bert:
            text.pieces = Self.split(text.text.scalars, pieces: text.pieces, isolatePunctuation: true)
        case .whitespaceSplit:
            text.pieces = Self.split(text.text.scalars, pieces: text.pieces, isolatePunctuation: false)
        case .whitespace:
            Self.splitWords(&text, scratch: &scratch)
        case .punctuation(let behavior):
            Self.splitCharacters(&text, behavior: behavior, scratch: &scratch) {
                UnicodeProperties.punctuationCharacter.contains($0)
            }
        case .digits(let individual):
            Self.splitCharacters(&text, behavior: individual ? .isolated : .contiguous, scratch: &scratch) {
                UnicodeProperties.numericCharacter.contains($0)
            }
        case .charDelimiter(let delimiter):
            Self.splitCharacters(&text, behavior: .removed, scratch: &scratch) { $0 == delimiter }
        case .metaspace(let metaspace):
            metaspace.preTokenize(&text, scratch: &scratch)
        case .byteLevel(let byteLevel):
            byteLevel.preTokenize(&text, scratch: &scratch)
        case .split(let pattern, let behavior, let invert):
            Self.splitPattern(&text, pattern: pattern, behavior: behavior, invert: invert, scratch: &scratch)
        case .sequence(let preTokenizers):
            for preTokenizer in preTokenizers { preTokenizer.split(&text, scratch: &scratch) }
        }
    }
}
