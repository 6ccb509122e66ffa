/// The contents of a sentence-transformers `1_Pooling/config.json`.
public struct PoolingConfiguration: Sendable, Equatable, Decodable {
    /// The size of the token vectors the pooling expects.
    public var wordEmbeddingDimension: Int?
    /// The pooling the file describes.
    public var pooling: Pooling

    static let modeKeys: [(key: String, mode: Pooling.Mode)] = [
        ("pooling_mode_cls_token", .cls), ("pooling_mode_max_tokens", .max), ("pooling_mode_mean_tokens", .mean),
        ("pooling_mode_mean_sqrt_len_tokens", .meanSqrtLen), ("pooling_mode_weightedmean_tokens", .weightedMean),
        ("pooling_mode_lasttoken", .lastToken),
    ]

    public init(from decoder: any Decoder) throws {
        let known = Set(Self.modeKeys.map(\.key) + ["word_embedding_dimension", "include_prompt"])
        let unknown = try decoder.unknownKeys(known)
        guard unknown.isEmpty else {
            throw EmbedCoreError(
                .invalidConfiguration,
                "pooling config has unknown key\(unknown.count > 1 ? "s" : "") \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
                    + "known keys: \(known.sorted().joined(separator: ", "))")
        }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        wordEmbeddingDimension = try container.optional(Int.self, "word_embedding_dimension")
        var modes: [Pooling.Mode] = []
        for (key, mode) in Self.modeKeys where try container.optional(Bool.self, key) == true {
            modes.append(mode)
        }
        guard !modes.isEmpty else {
            throw EmbedCoreError(
                .invalidConfiguration, "pooling config turns on no pooling mode (one of \(Self.modeKeys.map(\.key).joined(separator: ", ")))")
        }
        pooling = try Pooling(modes, includePrompt: try container.optional(Bool.self, "include_prompt") ?? true)
    }
}
