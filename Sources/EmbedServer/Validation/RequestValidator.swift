import EmbedCore
import EmbedEngine
import EmbedTokenizers
import Foundation
import Hummingbird
import NIOHTTP1

/// The one place where request bodies become typed calls: size limit, UTF-8, JSON, fields,
/// types, input counts and empty inputs. What depends on the model (token counts, token
/// ids, `dimensions`) is checked once by the engine.
struct RequestValidator: Sendable {
    let configuration: ServerConfiguration
    /// `cl100k_base`, when OpenAI token ids are decoded (``ServerConfiguration/openAITokenIDs``).
    var tiktoken: TiktokenDecoder?

    /// `POST /v1/embeddings`.
    func openAIEmbeddings(_ body: JSONValue) throws(ServerError) -> OpenAIEmbeddingCall {
        let fields = try RequestFields(
            body, allowed: ["input", "model", "encoding_format", "dimensions", "user", "modality", "fusion"])
        let fusion = try fields.value("fusion").map { (value) throws(ServerError) -> RequestFields in
            try RequestFields(value, allowed: ["mode", "weight", "text_model"], path: "fusion")
        }
        var call: OpenAIEmbeddingCall
        if case .array(let items) = fields.value("input"), items.contains(where: Self.isObject) {
            // Jina's items: `{"text"}`, `{"image"}`, `{"text", "image"}` (fused), and strings.
            if fields.value("modality") != nil {
                throw ServerError(
                    .invalidRequest,
                    "'modality' and items in 'input' cannot be combined: each item says what it is ({\"text\": ...} or {\"image\": ...})",
                    parameter: "modality")
            }
            call = try itemInputs(items, key: "input", fusion: fusion, model: try fields.string("model"))
        } else {
            if fusion != nil {
                throw ServerError(
                    .invalidRequest, "'fusion' applies to {\"text\": ..., \"image\": ...} pairs in 'input', and there are none",
                    parameter: "fusion")
            }
            // infinity's extension: `modality` "text" (the default) or "image".
            let inputs: [EmbeddingInput]
            var pending: [PendingImage] = []
            switch try fields.string("modality") {
            case nil, "text": inputs = try openAITokens(try self.inputs(fields, key: "input"))
            case "image": (inputs, pending) = try imageInputs(fields, key: "input")
            case let other?:
                throw ServerError(.invalidRequest, "'modality' must be \"text\" or \"image\", got \"\(other)\"", parameter: "modality")
            }
            call = OpenAIEmbeddingCall(inputs: inputs, options: .init(), format: .float)
            call.pendingImages = pending
        }
        let model = try fields.string("model")
        _ = try fields.string("user")
        let format: OpenAIEmbeddingCall.Format
        switch try fields.string("encoding_format") {
        case nil, "float": format = .float
        case "base64": format = .base64
        case let other?:
            throw ServerError(
                .invalidRequest, "'encoding_format' must be \"float\" or \"base64\", got \"\(other)\"",
                parameter: "encoding_format")
        }
        call.options = EmbeddingOptions(truncate: configuration.truncateByDefault, dimensions: try dimensions(fields))
        if call.fusion?.projected == true, call.options.dimensions != nil {
            throw ServerError(
                .invalidRequest,
                "'dimensions' cannot shorten the vectors of a fused pair on this server: its fusion projection takes the model's full vectors",
                parameter: "dimensions")
        }
        call.format = format
        call.model = model
        return call
    }

    /// `POST /embed` (Text Embeddings Inference).
    func teiEmbed(_ body: JSONValue) throws(ServerError) -> EmbedCall {
        let fields = try RequestFields(
            body, allowed: ["inputs", "normalize", "truncate", "truncation_direction", "dimensions", "prompt_name"])
        let inputs = try self.inputs(fields, key: "inputs")
        let options = EmbeddingOptions(
            truncate: try fields.bool("truncate") ?? configuration.truncateByDefault,
            truncationDirection: try truncationDirection(fields),
            normalize: try fields.bool("normalize") ?? true, dimensions: try dimensions(fields),
            prompt: try promptName(fields))
        return EmbedCall(inputs: inputs, options: options)
    }

    /// Reads and parses a request body: at most the payload limit, valid UTF-8, valid JSON.
    func readBody(_ request: Request) async throws(ServerError) -> JSONValue {
        let limit = configuration.payloadLimit
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw payloadTooLarge(declared)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as HTTPParserError {
            // A malformed chunked body: the client's fault, not its size.
            throw ServerError(.invalidRequest, ParserErrorBody.describe(error))
        } catch {
            throw payloadTooLarge(nil)
        }
        let bytes = buffer.readableBytesView
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ServerError(.invalidRequest, "the request body is not valid UTF-8")
        }
        // Foundation's parser (checked on Linux) accepts trailing commas and duplicate keys
        // (JSONDecoder keeps the first value, JSONSerialization the last), and rarely says
        // where a body is wrong: the strict scan refuses both and gives the place, first,
        // for every route.
        do throws(StrictJSONScanner.Failure) {
            try StrictJSONScanner().validate(bytes)
        } catch {
            throw ServerError(.invalidRequest, "the request body is not valid JSON: \(error.description)")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw ServerError(.invalidRequest, "the request body is not valid JSON: \(Self.describe(error))")
        }
    }

    private func payloadTooLarge(_ size: Int?) -> ServerError {
        ServerError(
            .payloadTooLarge,
            "the request body\(size.map { " (\($0) bytes)" } ?? "") is larger than the limit of \(configuration.payloadLimit) bytes")
    }

    /// `input` / `inputs`: a string, an array of strings, an array of token ids or an array of
    /// arrays of token ids; not empty, not more than the client batch limit.
    func inputs(_ fields: RequestFields, key: String) throws(ServerError) -> [EmbeddingInput] {
        guard let value = fields.value(key) else {
            throw ServerError(.invalidRequest, "'\(key)' is missing", parameter: key)
        }
        let inputs: [EmbeddingInput]
        switch value {
        case .string(let text): inputs = [.text(text)]
        case .array(let items):
            guard !items.isEmpty else { throw ServerError(.invalidRequest, "'\(key)' must not be empty", parameter: key) }
            if case .integer = items[0] {
                inputs = [.tokenIds(try tokenIds(items, path: key))]
            } else {
                inputs = try items.enumerated().map { (index, item) throws(ServerError) -> EmbeddingInput in
                    switch item {
                    case .string(let text): return .text(text)
                    case .array(let ids): return .tokenIds(try tokenIds(ids, path: "\(key)[\(index)]"))
                    case .object:
                        throw ServerError(
                            .invalidRequest, "'\(key)[\(index)]' is an object: this route takes texts only; \(Self.imageRoute)",
                            parameter: key)
                    default:
                        throw ServerError(
                            .invalidRequest,
                            "'\(key)[\(index)]' must be a string or an array of token ids, got \(item.typeName)",
                            parameter: key)
                    }
                }
            }
        default:
            let hint = Self.isObject(value) ? "; \(Self.imageRoute)" : ""
            throw ServerError(
                .invalidRequest,
                "'\(key)' must be a string, an array of strings or an array of token ids, got \(value.typeName)\(hint)",
                parameter: key)
        }
        try checkCount(inputs.count, key: key)
        if let index = inputs.firstIndex(where: Self.isImageURL) {
            var path = "\(key)[\(index)]"
            if case .string = value { path = key }
            throw ServerError(
                .invalidRequest, "'\(path)' is a data:image URL, which would be embedded as text; \(Self.imageRoute)",
                parameter: key)
        }
        if configuration.refuseEmptyStrings, let index = inputs.firstIndex(of: .text("")) {
            throw ServerError(
                .invalidRequest, "'\(key)[\(index)]' is an empty string, which this server refuses", parameter: key)
        }
        return inputs
    }

    /// TEI's `truncation_direction`: `Right` (default) or `Left`, any case.
    func truncationDirection(_ fields: RequestFields) throws(ServerError) -> Truncation.Direction {
        switch try fields.string("truncation_direction")?.lowercased() {
        case nil, "right": return .right
        case "left": return .left
        case let other?:
            let name = fields.name("truncation_direction")
            throw ServerError(
                .invalidRequest, "'\(name)' must be \"Left\" or \"Right\", got \"\(other)\"", parameter: name)
        }
    }

    /// At most the client batch limit of inputs.
    func checkCount(_ count: Int, key: String) throws(ServerError) {
        guard count <= configuration.maxClientBatchSize else {
            throw ServerError(
                .tooManyInputs,
                "'\(key)' has \(count) inputs, more than the limit of \(configuration.maxClientBatchSize) per request",
                parameter: key)
        }
    }

    func tokenIds(_ items: [JSONValue], path: String) throws(ServerError) -> [Int] {
        guard !items.isEmpty else {
            throw ServerError(.invalidRequest, "'\(path)' is an empty list of token ids", parameter: path)
        }
        var ids: [Int] = []
        ids.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .integer(let id) = item else {
                throw ServerError(
                    .invalidRequest, "'\(path)[\(index)]' must be an integer token id, got \(item.typeName)",
                    parameter: path)
            }
            ids.append(id)
        }
        return ids
    }

    /// Token-id inputs of the OpenAI route as ``ServerConfiguration/openAITokenIDs`` says:
    /// OpenAI's `cl100k_base` ids decoded to text, or the model's own ids as they are.
    private func openAITokens(_ inputs: [EmbeddingInput]) throws(ServerError) -> [EmbeddingInput] {
        guard configuration.openAITokenIDs == .cl100k, inputs.contains(where: Self.isTokenIds) else {
            return inputs
        }
        guard let tiktoken else {
            throw ServerError(
                .invalidRequest,
                "'input' holds token ids, which on /v1/embeddings are OpenAI cl100k_base ids (as LangChain's "
                    + "OpenAIEmbeddings sends them), but this server has no cl100k_base.tiktoken to decode them "
                    + "(`make setup` installs it; or set server.tiktoken_file). Send the texts instead, or set "
                    + "server.openai_token_ids=model to send this model's own ids",
                parameter: "input")
        }
        return try inputs.enumerated().map { (index, input) throws(ServerError) -> EmbeddingInput in
            guard case .tokenIds(let ids) = input else { return input }
            do throws(TokenizerError) {
                return .text(try tiktoken.decode(ids))
            } catch {
                let path = inputs.count == 1 ? "input" : "input[\(index)]"
                throw ServerError(.invalidRequest, "'\(path)': \(error.message)", parameter: "input")
            }
        }
    }

    /// `dimensions`: an integer; its range is checked against the model by the engine.
    func dimensions(_ fields: RequestFields) throws(ServerError) -> Int? {
        try fields.integer("dimensions")
    }

    /// TEI's `prompt_name`: one of the model's prompts, or the model's default when absent.
    func promptName(_ fields: RequestFields) throws(ServerError) -> PromptChoice {
        try fields.string("prompt_name").map(PromptChoice.named) ?? .automatic
    }

    private static func isTokenIds(_ input: EmbeddingInput) -> Bool {
        if case .tokenIds = input { return true }
        return false
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let context): return context.underlyingError.map { "\($0)" } ?? context.debugDescription
        default: return "\(error)"
        }
    }
}

/// A checked `POST /embed`.
struct EmbedCall: Sendable {
    var inputs: [EmbeddingInput]
    var options: EmbeddingOptions
}
