import EmbedCore

/// A `tokenizer.json` post-processor: adds special tokens and sets type ids.
enum PostProcessor: Sendable, Equatable, Decodable {
    case template(single: [TemplatePiece], pair: [TemplatePiece])
    case bert(cls: Int, sep: Int)

    /// One element of a template.
    enum TemplatePiece: Sendable, Equatable {
        /// Special tokens (one template entry may stand for several ids).
        case special(ids: [Int], typeId: Int)
        /// The first (A) or second (B) sequence.
        case sequence(second: Bool, typeId: Int)
    }

    static let supportedTypes = ["TemplateProcessing", "BertProcessing"]

    init(from decoder: any Decoder) throws {
        let type = try decoder.componentType("post_processor")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        switch type {
        case "TemplateProcessing":
            try decoder.rejectUnknownKeys(["type", "single", "pair", "special_tokens"], in: "post_processor TemplateProcessing")
            let specials = try container.value([String: SpecialTokenEntry].self, "special_tokens")
            let single = try container.value([TemplateEntry].self, "single")
            let pair = try container.optional([TemplateEntry].self, "pair") ?? []
            self = .template(
                single: try single.map { try $0.piece(specials) }, pair: try pair.map { try $0.piece(specials) })
        case "BertProcessing":
            try decoder.rejectUnknownKeys(["type", "sep", "cls"], in: "post_processor BertProcessing")
            let sep = try container.value(TokenAndId.self, "sep")
            let cls = try container.value(TokenAndId.self, "cls")
            self = .bert(cls: cls.id, sep: sep.id)
        default:
            throw unsupported("post_processor", type, supported: Self.supportedTypes)
        }
    }

    /// The template for a single sequence.
    var singleTemplate: [TemplatePiece] {
        switch self {
        case .template(let single, _): single
        case .bert(let cls, let sep): [.special(ids: [cls], typeId: 0), .sequence(second: false, typeId: 0), .special(ids: [sep], typeId: 0)]
        }
    }

    /// How many special tokens a single sequence receives.
    var addedTokenCount: Int {
        singleTemplate.reduce(0) { count, piece in
            if case .special(let ids, _) = piece { return count + ids.count }
            return count
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

    func piece(_ specials: [String: SpecialTokenEntry]) throws -> PostProcessor.TemplatePiece {
        if let sequence { return .sequence(second: sequence.second, typeId: sequence.typeId) }
        let name = special!.name
        guard let entry = specials[name] else {
            throw TokenizerError(
                .invalidConfiguration, "TemplateProcessing uses special token '\(name)' missing from special_tokens")
        }
        return .special(ids: entry.ids, typeId: special!.typeId)
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

/// `["[SEP]", 102]` in BertProcessing.
private struct TokenAndId: Decodable {
    var token: String
    var id: Int

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        token = try container.decode(String.self)
        id = try container.decode(Int.self)
    }
}
