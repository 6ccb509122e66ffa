import EmbedCore

/// A `tokenizer.json` post-processor: adds special tokens, sets type ids and (ByteLevel,
/// RoBERTa) trims whitespace off offsets.
indirect enum PostProcessor: Sendable, Decodable {
    case template(single: [TemplatePiece], pair: [TemplatePiece])
    case bert(cls: Int, sep: Int)
    case roberta(cls: Int, sep: Int, trimOffsets: Bool, addPrefixSpace: Bool)
    case byteLevel(trimOffsets: Bool, addPrefixSpace: Bool)
    case sequence([PostProcessor])

    /// One element of a template.
    enum TemplatePiece: Sendable, Equatable {
        /// Special tokens (one template entry may stand for several ids).
        case special(ids: [Int], typeId: Int)
        /// The first (A) or second (B) sequence.
        case sequence(second: Bool, typeId: Int)
    }

    static let supportedTypes = ["BertProcessing", "ByteLevel", "RobertaProcessing", "Sequence", "TemplateProcessing"]

    init(from decoder: any Decoder) throws {
        let type = try decoder.componentType("post_processor")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        let name = "post_processor \(type)"
        switch type {
        case "TemplateProcessing":
            try decoder.rejectUnknownKeys(["type", "single", "pair", "special_tokens"], in: name)
            let specials = try container.value([String: SpecialTokenEntry].self, "special_tokens")
            let single = try container.value([TemplateEntry].self, "single").map { try $0.piece(specials) }
            let pair = try container.value([TemplateEntry].self, "pair").map { try $0.piece(specials) }
            if single.contains(where: Self.isSecond) {
                throw TokenizerError(.invalidConfiguration, "\(name): the single template uses $B")
            }
            self = .template(single: single, pair: pair)
        case "BertProcessing":
            try decoder.rejectUnknownKeys(["type", "sep", "cls"], in: name)
            self = .bert(cls: try container.value(TokenAndId.self, "cls").id, sep: try container.value(TokenAndId.self, "sep").id)
        case "RobertaProcessing":
            try decoder.rejectUnknownKeys(["type", "sep", "cls", "trim_offsets", "add_prefix_space"], in: name)
            self = .roberta(
                cls: try container.value(TokenAndId.self, "cls").id, sep: try container.value(TokenAndId.self, "sep").id,
                trimOffsets: try container.value(Bool.self, "trim_offsets"),
                addPrefixSpace: try container.value(Bool.self, "add_prefix_space"))
        case "ByteLevel":
            let byteLevel = try ByteLevel(from: decoder, in: name)
            self = .byteLevel(trimOffsets: byteLevel.trimOffsets, addPrefixSpace: byteLevel.addPrefixSpace)
        case "Sequence":
            try decoder.rejectUnknownKeys(["type", "processors"], in: name)
            let processors = try container.value([PostProcessor].self, "processors")
            if processors.filter(\.addsSpecialTokens).count > 1 {
                throw TokenizerError(
                    .unsupportedComponent, "\(name) with more than one processor that adds special tokens is not supported")
            }
            self = .sequence(processors)
        default:
            throw unsupported("post_processor", type, supported: Self.supportedTypes)
        }
    }

    private static func isSecond(_ piece: TemplatePiece) -> Bool {
        if case .sequence(true, _) = piece { return true }
        return false
    }

    /// Whether this processor restructures the sequences (templates, BERT, RoBERTa).
    var addsSpecialTokens: Bool {
        switch self {
        case .template, .bert, .roberta: true
        case .byteLevel: false
        case .sequence(let processors): processors.contains(where: \.addsSpecialTokens)
        }
    }

    /// Whether this processor trims offsets (which needs each token's leading and trailing
    /// whitespace).
    var trimsOffsets: Bool {
        switch self {
        case .template, .bert: false
        case .roberta(_, _, let trim, _): trim
        case .byteLevel(let trim, _): trim
        case .sequence(let processors): processors.contains(where: \.trimsOffsets)
        }
    }

    /// How many special tokens one sequence (or a pair) receives.
    func addedTokenCount(pair: Bool) -> Int {
        switch self {
        case .template(let single, let pairTemplate):
            return (pair ? pairTemplate : single).reduce(0) { count, piece in
                if case .special(let ids, _) = piece { return count + ids.count }
                return count
            }
        case .bert: return pair ? 3 : 2
        case .roberta: return pair ? 4 : 2
        case .byteLevel: return 0
        case .sequence(let processors): return processors.reduce(0) { $0 + $1.addedTokenCount(pair: pair) }
        }
    }
}

/// `{"SpecialToken": {"id": "[CLS]", "type_id": 0}}` or `{"Sequence": {"id": "A", "type_id": 0}}`.
private struct TemplateEntry: Decodable {
    var special: (name: String, typeId: Int)?
    var sequence: (second: Bool, typeId: Int)?

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["SpecialToken", "Sequence"], in: "TemplateProcessing entry")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        if let entry = try container.optional(Entry.self, "SpecialToken") {
            special = (entry.id, entry.typeId)
        } else if let entry = try container.optional(Entry.self, "Sequence") {
            guard entry.id == "A" || entry.id == "B" else {
                throw TokenizerError(.invalidFormat, "TemplateProcessing sequence id must be A or B, got '\(entry.id)'")
            }
            sequence = (entry.id == "B", entry.typeId)
        } else {
            throw TokenizerError(.invalidFormat, "TemplateProcessing entry is neither SpecialToken nor Sequence")
        }
    }

    struct Entry: Decodable {
        var id: String
        var typeId: Int

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(["id", "type_id"], in: "TemplateProcessing entry")
            let container = try decoder.container(keyedBy: AnyCodingKey.self)
            id = try container.value(String.self, "id")
            typeId = try container.value(Int.self, "type_id")
        }
    }

    func piece(_ specials: [String: SpecialTokenEntry]) throws(TokenizerError) -> PostProcessor.TemplatePiece {
        if let sequence { return .sequence(second: sequence.second, typeId: sequence.typeId) }
        let name = special?.name ?? ""
        guard let entry = specials[name] else {
            throw TokenizerError(
                .invalidConfiguration, "TemplateProcessing uses special token '\(name)' missing from special_tokens")
        }
        return .special(ids: entry.ids, typeId: special?.typeId ?? 0)
    }
}

/// An entry of TemplateProcessing's `special_tokens`.
private struct SpecialTokenEntry: Decodable {
    var ids: [Int]

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["id", "ids", "tokens"], in: "TemplateProcessing special token")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        ids = try container.value([Int].self, "ids")
    }
}

/// `["[SEP]", 102]` in BertProcessing and RobertaProcessing.
private struct TokenAndId: Decodable {
    var token: String
    var id: Int

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        token = try container.decode(String.self)
        id = try container.decode(Int.self)
    }
}
