import EmbedCore
import EmbedEngine
import EmbedTokenizers
import Foundation
import Hummingbird

/// What is served: `GET /v1/models`, `GET /v1/models/{id}` (OpenAI: every model), `GET /info`
/// (TEI's fields for the default model, and each model in `models`) and `POST /tokenize`
/// (Text Embeddings Inference: the default model).
struct ModelRoutes: Sendable {
    let hosts: ModelHosts
    let validator: RequestValidator
    let configuration: ServerConfiguration

    func register(on router: Router<ServerRequestContext>, table: RouteTable) {
        table.add(.get, "/v1/models", on: router) { _, _ in try JSONResponse.make(OpenAIModelList(data: try models())) }
        table.add(.get, "/v1/models/{id}", on: router) { _, context in
            let models = try models()
            // A hub id served as is (`org/name`) is asked for as `org%2Fname`.
            let raw = context.parameters.get("id") ?? ""
            let id = raw.removingPercentEncoding ?? raw
            guard let model = models.first(where: { $0.id == id }) else {
                throw ServerError(
                    .notFound,
                    "no model '\(id)' here; this server serves \(models.map { "'\($0.id)'" }.joined(separator: ", "))",
                    parameter: "model")
            }
            return try JSONResponse.make(model)
        }
        table.add(.get, "/info", on: router) { _, _ in try JSONResponse.make(try info()) }
        table.add(.post, "/tokenize", on: router) { request, context in try await tokenize(request, context) }
    }

    /// Every model, the default first; a 503 until all are loaded.
    private func models() throws(ServerError) -> [OpenAIModel] {
        try hosts.all().map { _, name, loadedAt in OpenAIModel(id: name, created: Int(loadedAt.timeIntervalSince1970)) }
    }

    /// TEI's fields for the default model, and every model in `models`; a 503 until all are loaded.
    private func info() throws(ServerError) -> ServerInfo {
        let models = try hosts.all()
        let (embedder, name, _) = models[0]
        let info = embedder.info
        let limits = embedder.configuration.batching
        return ServerInfo(
            modelID: name, modelPath: ServerInfo.shownPath(info.path),
            modelType: ["embedding": ["pooling": info.pooling?.description ?? "none"]],
            dimension: info.dimension, pooling: info.pooling?.description, normalize: info.normalize,
            maxInputLength: info.maxLength.value, maxBatchTokens: limits.maxBatchTokens,
            maxBatchRequests: limits.maxBatchSize, maxClientBatchSize: configuration.maxClientBatchSize,
            maxConcurrentRequests: limits.maxConcurrentRequests, autoTruncate: configuration.truncateByDefault,
            payloadLimit: configuration.payloadLimit, engine: info.engine, provider: info.runtime?.executionProvider,
            ortVersion: info.runtime?.runtime == "onnxruntime" ? info.runtime?.runtimeVersion : nil,
            runtime: info.runtime?.runtime, runtimeVersion: info.runtime?.runtimeVersion,
            precision: info.runtime?.inferencePrecision, quantized: info.runtime?.quantization.isQuantized ?? false,
            version: SwiftEmbed.version,
            models: models.enumerated().map { index, model in
                ServedModelInfo(model.embedder, name: model.name, isDefault: index == 0)
            })
    }

    private func tokenize(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let call = try validator.teiTokenize(try await validator.readBody(request))
        let embedder = try hosts.defaultEmbedder().embedder
        let encodings = try await ServerError.engine(inputField: "inputs") { () throws(EmbedError) in
            try await embedder.tokenize(call.texts, addSpecialTokens: call.addSpecialTokens, prompt: call.prompt)
        }
        let total = encodings.reduce(0) { $0 + $1.count }
        context.report.record(inputs: call.texts.count, tokens: total)
        guard total <= configuration.maxTokenizeTokens else {
            throw ServerError(
                .payloadTooLarge,
                "the inputs make \(total) tokens; /tokenize answers at most \(configuration.maxTokenizeTokens) per request "
                    + "(server.max_tokenize_tokens): send fewer or shorter inputs", parameter: "inputs")
        }
        let tokenizer = embedder.tokenizer
        let tokens = zip(call.texts, encodings).map { text, encoding in
            Self.tokens(encoding, text: text, tokenizer: tokenizer)
        }
        return try JSONResponse.make(tokens)
    }

    /// The tokens of `encoding` with the text each covers (offsets in Unicode scalars).
    static func tokens(_ encoding: Encoding, text: String, tokenizer: Tokenizer?) -> [TEIToken] {
        let scalars = Array(text.unicodeScalars)
        return encoding.ids.indices.map { index in
            let special = encoding.specialTokensMask[index] == 1
            let range = encoding.offsets[index]
            var piece = String.UnicodeScalarView()
            if !special, range.lowerBound >= 0, range.upperBound <= scalars.count {
                piece.append(contentsOf: scalars[range])
            }
            let text = special ? tokenizer?.token(forId: encoding.ids[index]) ?? "" : String(piece)
            return TEIToken(
                id: encoding.ids[index], text: text, special: special,
                start: special ? nil : range.lowerBound, stop: special ? nil : range.upperBound)
        }
    }
}
