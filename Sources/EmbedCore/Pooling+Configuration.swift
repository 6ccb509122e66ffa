/// The contents of a sentence-transformers `1_Pooling/config.json`, in either of its two
/// formats: the legacy one (`word_embedding_dimension` and one boolean
/// `pooling_mode_*_tokens` key per mode) and the one sentence-transformers 6 writes
/// (`embedding_dimension` and `pooling_mode`, a mode name or a list of them, in
/// concatenation order). When both are present, `pooling_mode` wins, as in
/// sentence-transformers.
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

    /// The mode names of the `pooling_mode` key.
    static let modeNames: [(name: String, mode: Pooling.Mode)] = [
        ("cls", .cls), ("max", .max), ("mean", .mean), ("mean_sqrt_len_tokens", .meanSqrtLen),
        ("weightedmean", .weightedMean), ("lasttoken", .lastToken),
    ]

    public init(from decoder: any Decoder) throws {
        let known = Set(
            Self.modeKeys.map(\.key) + ["word_embedding_dimension", "embedding_dimension", "pooling_mode", "include_prompt"])
        let unknown = try decoder.unknownKeys(known)
        guard unknown.isEmpty else {
            throw EmbedCoreError(
                .invalidConfiguration,
                "pooling config has unknown key\(unknown.count > 1 ? "s" : "") \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
                    + "known keys: \(known.sorted().joined(separator: ", "))")
        }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        wordEmbeddingDimension =
            try container.optional(Int.self, "embedding_dimension") ?? container.optional(Int.self, "word_embedding_dimension")
        let includePrompt = try container.optional(Bool.self, "include_prompt") ?? true
        if let names = try Self.modeList(container) {
            var modes: [Pooling.Mode] = []
            for name in names {
                guard let mode = Self.modeNames.first(where: { $0.name == name })?.mode else {
                    throw EmbedCoreError(
                        .invalidConfiguration,
                        "pooling config has unknown pooling_mode '\(name)'; known modes: \(Self.modeNames.map(\.name).joined(separator: ", "))")
                }
                modes.append(mode)
            }
            pooling = try Pooling(ordered: modes, includePrompt: includePrompt)
            return
        }
        var modes: [Pooling.Mode] = []
        for (key, mode) in Self.modeKeys where try container.optional(Bool.self, key) == true {
            modes.append(mode)
        }
        guard !modes.isEmpty else {
            throw EmbedCoreError(
                .invalidConfiguration,
                "pooling config turns on no pooling mode (pooling_mode, or one of \(Self.modeKeys.map(\.key).joined(separator: ", ")))")
        }
        pooling = try Pooling(modes, includePrompt: includePrompt)
    }

    /// `pooling_mode` as a list of names: a single name or a list; `nil` when absent.
    private static func modeList(_ container: KeyedDecodingContainer<AnyCodingKey>) throws -> [String]? {
        guard container.contains(AnyCodingKey("pooling_mode")) else { return nil }
        if let single = try? container.value(String.self, "pooling_mode") { return [single] }
        return try container.value([String].self, "pooling_mode")
    }
}
