/// The contents of `config_sentence_transformers.json`: the prompts a model was trained
/// with and which one is used by default.
public struct SentenceTransformersConfiguration: Sendable, Equatable, Decodable {
    /// Named prompts, e.g. `["query": "query: ", "passage": "passage: "]`. A prompt is
    /// text put before the input text.
    public var prompts: [String: String]
    /// The prompt used when a caller names none (`nil`: no prompt).
    public var defaultPromptName: String?
    /// The similarity function the model is meant for (`cosine`, `dot`, `euclidean`,
    /// `manhattan`), when the file names one.
    public var similarityFunction: String?

    /// Creates a configuration.
    public init(prompts: [String: String] = [:], defaultPromptName: String? = nil, similarityFunction: String? = nil) {
        self.prompts = prompts
        self.defaultPromptName = defaultPromptName
        self.similarityFunction = similarityFunction
    }

    static let known: Set<String> = ["__version__", "prompts", "default_prompt_name", "similarity_fn_name", "model_type"]

    public init(from decoder: any Decoder) throws {
        let unknown = try decoder.unknownKeys(Self.known)
        guard unknown.isEmpty else {
            throw Self.error("unknown key\(unknown.count > 1 ? "s" : "") \(unknown.map { "'\($0)'" }.joined(separator: ", "))")
        }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        if let type = try container.optional(String.self, "model_type"), type != "SentenceTransformer" {
            throw Self.error("model_type '\(type)' is not an embedding model this engine runs (expected SentenceTransformer)")
        }
        // A prompt may be null in the file (a placeholder): such entries are dropped.
        let prompts = try container.optional([String: String?].self, "prompts") ?? [:]
        self.prompts = prompts.compactMapValues { $0 }
        defaultPromptName = try container.optional(String.self, "default_prompt_name")
        similarityFunction = try container.optional(String.self, "similarity_fn_name")
        if let name = defaultPromptName, self.prompts[name] == nil {
            throw Self.error(
                "default_prompt_name '\(name)' is not one of the prompts (\(self.prompts.keys.sorted().joined(separator: ", ")))")
        }
        if let function = similarityFunction, !["cosine", "dot", "euclidean", "manhattan"].contains(function) {
            throw Self.error("similarity_fn_name '\(function)' is unknown (expected cosine, dot, euclidean or manhattan)")
        }
    }

    private static func error(_ message: String) -> EmbedCoreError {
        EmbedCoreError(.invalidConfiguration, "config_sentence_transformers.json: \(message)")
    }
}
