/// The contents of `sentence_bert_config.json`: the settings of sentence-transformers'
/// `Transformer` module.
///
/// Two generations of keys exist. Older files have `max_seq_length`, `do_lower_case` and
/// PyTorch loading arguments (`model_args`, `tokenizer_args`, `config_args`);
/// sentence-transformers 6 writes `transformer_task`, `modality_config` and
/// `module_output_name` (the maximum length then lives in `tokenizer_config.json`). Keys that
/// only affect loading in PyTorch are accepted and ignored; keys that would change the vectors
/// are either understood or refused by name.
public struct SentenceBertConfiguration: Sendable, Equatable, Decodable {
    /// The maximum number of tokens sentence-transformers feeds the model.
    public var maxSeqLength: Int?
    /// Whether sentence-transformers lowercases texts before tokenizing.
    public var doLowerCase: Bool

    static let ignoredKeys: Set<String> = ["model_args", "model_kwargs", "config_args", "config_kwargs", "unpad_inputs"]
    static let known: Set<String> = ignoredKeys.union([
        "max_seq_length", "do_lower_case", "tokenizer_args", "processor_kwargs", "transformer_task", "modality_config",
        "module_output_name", "processing_kwargs", "query_length", "document_length", "query_expansion",
    ])

    public init(from decoder: any Decoder) throws {
        let unknown = try decoder.unknownKeys(Self.known)
        guard unknown.isEmpty else {
            throw Self.error("unknown key\(unknown.count > 1 ? "s" : "") \(unknown.map { "'\($0)'" }.joined(separator: ", "))")
        }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        maxSeqLength = try container.optional(Int.self, "max_seq_length")
        doLowerCase = try container.optional(Bool.self, "do_lower_case") ?? false
        if let task = try container.optional(String.self, "transformer_task"), task != "feature-extraction" {
            throw Self.error("transformer_task '\(task)' is not supported: only feature-extraction (an encoder's token vectors) is")
        }
        if let output = try container.optional(String.self, "module_output_name"), output != "token_embeddings" {
            throw Self.error("module_output_name '\(output)' is not supported: expected token_embeddings")
        }
        if let modalities = try container.optional(JSONValue.self, "modality_config") {
            try Self.checkModalities(modalities)
        }
        for key in ["query_length", "document_length", "query_expansion", "processing_kwargs"] {
            if let value = try container.optional(JSONValue.self, key), !value.isEmpty {
                throw Self.error("\(key) \(value) is not supported (multi-vector or custom processing settings)")
            }
        }
        for key in ["tokenizer_args", "processor_kwargs"] {
            guard let arguments = try container.optional(JSONValue.self, key), !arguments.isEmpty else { continue }
            guard let object = arguments.object else { throw Self.error("\(key) must be an object, got \(arguments)") }
            for (name, value) in object.sorted(by: { $0.key < $1.key }) {
                switch name {
                case "trust_remote_code":
                    continue  // sentence-transformers drops it from this file too
                case "model_max_length":
                    guard let number = value.double, number >= 1, number == number.rounded() else {
                        throw Self.error("\(key).model_max_length must be a positive integer, got \(value)")
                    }
                    if maxSeqLength == nil, number < 1e9 { maxSeqLength = Int(number) }
                default:
                    throw Self.error("\(key) sets '\(name)', which is not supported (it changes how texts are tokenized)")
                }
            }
        }
    }

    /// Only text through the model's forward pass, read from `last_hidden_state`.
    private static func checkModalities(_ value: JSONValue) throws(EmbedCoreError) {
        guard let modalities = value.object else { throw error("modality_config must be an object, got \(value)") }
        for (modality, settings) in modalities.sorted(by: { $0.key < $1.key }) {
            guard modality == "text" else {
                throw error("modality_config has modality '\(modality)': only text models are supported")
            }
            let object = settings.object ?? [:]
            if let method = object["method"], method != .string("forward") {
                throw error("modality_config.text.method \(method) is not supported: expected \"forward\"")
            }
            if let output = object["method_output_name"], output != .null, output != .string("last_hidden_state") {
                throw error("modality_config.text.method_output_name \(output) is not supported: expected \"last_hidden_state\"")
            }
            let other = object.keys.filter { !["method", "method_output_name"].contains($0) }.sorted()
            if !other.isEmpty { throw error("modality_config.text has unknown key(s) \(other.joined(separator: ", "))") }
        }
    }

    private static func error(_ message: String) -> EmbedCoreError {
        EmbedCoreError(.invalidConfiguration, "sentence_bert_config.json: \(message)")
    }
}
