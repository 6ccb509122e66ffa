import EmbedCore
import EmbedEngine
import Hummingbird

/// `POST /v1/embeddings` and `POST /embeddings` (OpenAI), `POST /embed` (Text Embeddings
/// Inference): read and check the body, embed with the online policy, answer.
struct EmbeddingRoutes: Sendable {
    let host: ModelHost
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
        let checked = try validator.openAIEmbeddings(try await validator.readBody(request))
        let (embedder, _) = try host.embedder()
        let call = try await checked.fetchingImages(policy: configuration.imageURLs)
        let result: EmbeddingResult
        do throws(ServerError) {
            result = try await ServerError.engine(inputField: "input") { () throws(EmbedError) in
                try await embedder.embed(call.inputs, options: call.options, policy: .online, isWanted: context.isClientConnected)
            }
        } catch {
            throw call.naming(error)
        }
        let tokens = result.tokenCounts.reduce(0, +)
        context.report.record(inputs: call.inputs.count, tokens: tokens)
        let items = try await call.vectors(from: result.embeddings, embedder: embedder, projection: host.fusionProjection).enumerated().map { index, vector in
            OpenAIEmbeddingResponse.Item(
                index: index,
                embedding: call.format == .base64 ? .base64(Base64Floats.encode(vector)) : .float(vector))
        }
        return try JSONResponse.make(
            OpenAIEmbeddingResponse(
                data: items, model: call.modelName(configuration.modelID ?? embedder.info.name),
                usage: .init(promptTokens: tokens, totalTokens: tokens)))
    }

    /// `POST /embed` (and `POST /` with an `/embed` body), the body already read.
    func tei(_ body: JSONValue, _ context: ServerRequestContext) async throws -> Response {
        let call = try validator.teiEmbed(body)
        let (embedder, _) = try host.embedder()
        let result = try await ServerError.engine(inputField: "inputs") { () throws(EmbedError) in
            try await embedder.embed(call.inputs, options: call.options, policy: .online, isWanted: context.isClientConnected)
        }
        context.report.record(inputs: call.inputs.count, tokens: result.tokenCounts.reduce(0, +))
        return try JSONResponse.make(result.embeddings)
    }
}
