import EmbedCore
import EmbedEngine
import Hummingbird

/// `POST /v1/embeddings` and `POST /embeddings` (OpenAI), `POST /embed` (Text Embeddings
/// Inference): read and check the body, embed with the online policy, answer.
struct EmbeddingRoutes: Sendable {
    let hosts: ModelHosts
    let validator: RequestValidator
    let configuration: ServerConfiguration

    func register(on router: Router<ServerRequestContext>, table: RouteTable) {
        table.add(.post, "/v1/embeddings", on: router) { request, context in try await openAI(request, context) }
        table.add(.post, "/embeddings", on: router) { request, context in try await openAI(request, context) }
        table.add(.post, "/embed", on: router) { request, context in
            try await tei(try await validator.readBody(request), context)
        }
    }

    func openAI(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        var call = try validator.openAIEmbeddings(try await validator.readBody(request))
        let (embedder, name, _) = try hosts.embedder(forModel: call.model)
        call = try await call.fetchingImages(policy: configuration.imageURLs)
        let textModel = try self.textModel(of: &call, servedAs: name)
        let (embeddings, tokens) = try await engineVectors(call, embedder: embedder, name: name, textModel: textModel, context)
        context.report.record(inputs: call.inputs.count, tokens: tokens)
        let projection = try hosts.entry(forModel: call.model).host.fusionProjection
        let items = try await call.vectors(from: embeddings, embedder: embedder, projection: projection).enumerated().map { index, vector in
            OpenAIEmbeddingResponse.Item(
                index: index,
                embedding: call.format == .base64 ? .base64(Base64Floats.encode(vector)) : .float(vector))
        }
        return try JSONResponse.make(
            OpenAIEmbeddingResponse(
                data: items, model: call.modelName(name),
                usage: .init(promptTokens: tokens, totalTokens: tokens)))
    }

    /// The engine's vectors of the call's inputs and their tokens: from `embedder`, or (a
    /// pair's text with `fusion.text_model`) from `textModel`.
    private func engineVectors(
        _ call: OpenAIEmbeddingCall, embedder: Embedder, name: String, textModel: (embedder: Embedder, name: String)?,
        _ context: ServerRequestContext
    ) async throws(ServerError) -> (embeddings: [[Float]], tokens: Int) {
        if let textModel {
            let vectors = try await crossModel(call, embedder: embedder, texts: textModel, context)
            let split = call.crossModelSplit
            ServerMetrics.recordInputs(call.inputs, indices: split.texts, model: textModel.name)
            ServerMetrics.recordInputs(call.inputs, indices: split.others, model: name)
            return vectors
        }
        let result: EmbeddingResult
        do throws(ServerError) {
            result = try await ServerError.engine(inputField: "input") { () throws(EmbedError) in
                try await embedder.embed(call.inputs, options: call.options, policy: .online, isWanted: context.isClientConnected)
            }
        } catch {
            throw call.naming(error)
        }
        ServerMetrics.recordInputs(call.inputs, indices: Array(call.inputs.indices), model: name)
        return (result.embeddings, result.tokenCounts.reduce(0, +))
    }

    /// `POST /embed` (and `POST /` with an `/embed` body), the body already read.
    func tei(_ body: JSONValue, _ context: ServerRequestContext) async throws -> Response {
        let call = try validator.teiEmbed(body)
        let (embedder, name, _) = try hosts.defaultEmbedder()
        let result = try await ServerError.engine(inputField: "inputs") { () throws(EmbedError) in
            try await embedder.embed(call.inputs, options: call.options, policy: .online, isWanted: context.isClientConnected)
        }
        context.report.record(inputs: call.inputs.count, tokens: result.tokenCounts.reduce(0, +))
        ServerMetrics.recordInputs(call.inputs, indices: Array(call.inputs.indices), model: name)
        return try JSONResponse.make(result.embeddings)
    }
}
