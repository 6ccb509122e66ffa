import EmbedCore

/// A `tokenizer.json` normalizer.
enum Normalizer: Sendable, Equatable, Decodable {
    case bert(BertNormalizer)
    case lowercase
    case sequence([Normalizer])

    static let supportedTypes = ["BertNormalizer", "Lowercase", "Sequence"]

    init(from decoder: any Decoder) throws {
        let type = try decoder.componentType("normalizer")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        switch type {
        case "BertNormalizer":
            self = .bert(try BertNormalizer(from: decoder))
        case "Lowercase":
            try decoder.rejectUnknownKeys(["type"], in: "normalizer Lowercase")
            self = .lowercase
        case "Sequence":
            try decoder.rejectUnknownKeys(["type", "normalizers"], in: "normalizer Sequence")
            self = .sequence(try container.value([Normalizer].self, "normalizers"))
        default:
            throw unsupported("normalizer", type, supported: Self.supportedTypes)
        }
    }

    func normalize(_ text: NormalizedText) -> NormalizedText {
        switch self {
        case .bert(let bert):
            return bert.normalize(text)
        case .lowercase:
            return BertNormalizer.lowercased(text)
        case .sequence(let normalizers):
            return normalizers.reduce(text) { $1.normalize($0) }
        }
    }
}
