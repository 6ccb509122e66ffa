import EmbedCore
import EmbedEngine

/// The Text Embeddings Inference routes besides `/embed`: `/tokenize`, `/similarity`,
/// `/decode`, `/embed_all`, and which of them a `POST /` body is.
extension RequestValidator {
    /// `POST /tokenize`: `inputs` a string or an array of strings (as TEI takes them: no
    /// token ids, no pairs).
    func teiTokenize(_ body: JSONValue) throws(ServerError) -> TokenizeCall {
        let fields = try RequestFields(body, allowed: ["inputs", "add_special_tokens", "prompt_name"])
        let inputs = try self.inputs(fields, key: "inputs")
        var texts: [String] = []
        for (index, input) in inputs.enumerated() {
            guard case .text(let text) = input else {
                throw ServerError(.invalidRequest, "inputs[\(index)] must be a string to tokenize", parameter: "inputs")
            }
            texts.append(text)
        }
        return TokenizeCall(
            texts: texts, addSpecialTokens: try fields.bool("add_special_tokens") ?? true,
            prompt: try promptName(fields))
    }

    /// Whether a `POST /` body is TEI's similarity request (`inputs` an object, `{"source_sentence",
    /// "sentences"}`, as huggingface_hub's `sentence_similarity` sends it to a base URL) rather
    /// than an `/embed` request (`inputs` a string or an array, never an object).
    static func isSimilarity(_ body: JSONValue) -> Bool {
        if case .object? = body.object?["inputs"] { return true }
        return false
    }

    /// `POST /similarity`: `{"inputs": {"source_sentence", "sentences"}, "parameters":
    /// {"truncate", "truncation_direction", "prompt_name"}}`, `parameters` optional or null.
    func teiSimilarity(_ body: JSONValue) throws(ServerError) -> SimilarityCall {
        let fields = try RequestFields(body, allowed: ["inputs", "parameters"])
        guard let inputsValue = fields.value("inputs") else {
            throw ServerError(.invalidRequest, "'inputs' is missing", parameter: "inputs")
        }
        let inputs = try RequestFields(inputsValue, allowed: ["source_sentence", "sentences"], path: "inputs")
        guard let source = try inputs.string("source_sentence") else {
            throw ServerError(.invalidRequest, "'inputs.source_sentence' is missing", parameter: "inputs.source_sentence")
        }
        guard let sentencesValue = inputs.value("sentences") else {
            throw ServerError(.invalidRequest, "'inputs.sentences' is missing", parameter: "inputs.sentences")
        }
        guard case .array(let items) = sentencesValue else {
            throw inputs.typeError("sentences", "an array of strings", sentencesValue)
        }
        guard !items.isEmpty else {
            throw ServerError(.invalidRequest, "'inputs.sentences' must not be empty", parameter: "inputs.sentences")
        }
        var sentences: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw ServerError(
                    .invalidRequest, "'inputs.sentences[\(index)]' must be a string, got \(item.typeName)",
                    parameter: "inputs.sentences")
            }
            sentences.append(text)
        }
        try checkCount(sentences.count + 1, key: "inputs.sentences")
        let parameters = try RequestFields(
            fields.value("parameters") ?? .object([:]), allowed: ["truncate", "truncation_direction", "prompt_name"],
            path: "parameters")
        let options = EmbeddingOptions(
            truncate: try parameters.bool("truncate") ?? configuration.truncateByDefault,
            truncationDirection: try truncationDirection(parameters), normalize: true,
            prompt: try parameters.string("prompt_name").map(PromptChoice.named) ?? .automatic)
        return SimilarityCall(source: source, sentences: sentences, options: options)
    }

    /// `POST /decode`: `ids` an array of token ids or an array of arrays of them (an inner
    /// array may be empty: its text is ""); `skip_special_tokens` (default `true`).
    func teiDecode(_ body: JSONValue) throws(ServerError) -> DecodeCall {
        let fields = try RequestFields(body, allowed: ["ids", "skip_special_tokens"])
        guard let value = fields.value("ids") else { throw ServerError(.invalidRequest, "'ids' is missing", parameter: "ids") }
        guard case .array(let items) = value else {
            throw fields.typeError("ids", "an array of token ids or an array of arrays of token ids", value)
        }
        guard let first = items.first else { throw ServerError(.invalidRequest, "'ids' must not be empty", parameter: "ids") }
        var rows: [[Int]] = []
        if case .array = first {
            for (index, item) in items.enumerated() {
                guard case .array(let row) = item else {
                    throw ServerError(
                        .invalidRequest, "'ids[\(index)]' must be an array of token ids, got \(item.typeName)",
                        parameter: "ids")
                }
                rows.append(row.isEmpty ? [] : try tokenIds(row, path: "ids[\(index)]"))
            }
        } else {
            rows = [try tokenIds(items, path: "ids")]
        }
        try checkCount(rows.count, key: "ids")
        return DecodeCall(ids: rows, skipSpecialTokens: try fields.bool("skip_special_tokens") ?? true)
    }

    /// `POST /embed_all`: the fields of TEI's request, checked so that a bad request is a
    /// 400 before the route says what it cannot do.
    func teiEmbedAll(_ body: JSONValue) throws(ServerError) -> EmbedCall {
        let fields = try RequestFields(body, allowed: ["inputs", "truncate", "truncation_direction", "prompt_name"])
        let options = EmbeddingOptions(
            truncate: try fields.bool("truncate") ?? configuration.truncateByDefault,
            truncationDirection: try truncationDirection(fields), prompt: try promptName(fields))
        return EmbedCall(inputs: try inputs(fields, key: "inputs"), options: options)
    }
}

/// A checked `POST /tokenize`.
struct TokenizeCall: Sendable {
    var texts: [String]
    var addSpecialTokens: Bool
    /// The prompt put before every text (TEI's `prompt_name`).
    var prompt: PromptChoice
}

/// A checked `POST /similarity`.
struct SimilarityCall: Sendable {
    var source: String
    var sentences: [String]
    var options: EmbeddingOptions
}

/// A checked `POST /decode`.
struct DecodeCall: Sendable {
    var ids: [[Int]]
    var skipSpecialTokens: Bool
}
