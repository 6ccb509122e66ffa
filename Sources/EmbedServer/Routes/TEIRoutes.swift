import EmbedCore
import EmbedEngine
import EmbedTokenizers
import Hummingbird

/// The Text Embeddings Inference routes that huggingface_hub's `InferenceClient` and TEI's
/// other clients use besides `/embed` and `/tokenize`: `POST /` (what a client given a base
/// URL posts to), `POST /similarity`, `POST /decode` and `POST /embed_all`.
struct TEIRoutes: Sendable {
    /// TEI has no `model` field: these routes use the default model.
    let hosts: ModelHosts
    let validator: RequestValidator
    let embedding: EmbeddingRoutes

    func register(on router: Router<ServerRequestContext>, table: RouteTable) {
        table.add(.post, "/", on: router) { request, context in
            let body = try await validator.readBody(request)
            // TEI answers `POST /` with /embed (or /similarity when started with
            // TASK=sentence-similarity); the body tells the two apart, so both work here.
            if RequestValidator.isSimilarity(body) { return try await similarity(body, context) }
            return try await embedding.tei(body, context)
        }
        table.add(.post, "/similarity", on: router) { request, context in
            try await similarity(try await validator.readBody(request), context)
        }
        table.add(.post, "/decode", on: router) { request, _ in
            try await decode(try await validator.readBody(request))
        }
        table.add(.post, "/embed_all", on: router) { request, _ in
            try await embedAll(try await validator.readBody(request))
        }
    }

    /// The cosine similarity of `source_sentence` with each of `sentences`.
    func similarity(_ body: JSONValue, _ context: ServerRequestContext) async throws -> Response {
        let call = try validator.teiSimilarity(body)
        let embedder = try hosts.defaultEmbedder().embedder
        let texts = [call.source] + call.sentences
        let result = try await ServerError.engine(inputField: "inputs") { () throws(EmbedError) in
            try await embedder.embed(
                texts.map(EmbeddingInput.text), options: call.options, policy: .online, isWanted: context.isClientConnected)
        }
        context.report.record(inputs: texts.count, tokens: result.tokenCounts.reduce(0, +))
        let source = result.embeddings[0]
        return try JSONResponse.make(result.embeddings.dropFirst().map { Self.cosine(source, $0) })
    }

    /// The text of each sequence of ids, as TEI (the `tokenizers` library) decodes it; a
    /// model without a tokenizer, or whose decoder is not implemented, is a 422 saying so,
    /// never an approximate text.
    func decode(_ body: JSONValue) async throws -> Response {
        let call = try validator.teiDecode(body)
        let embedder = try hosts.defaultEmbedder().embedder
        guard let tokenizer = embedder.tokenizer else {
            throw ServerError(
                .unsupported, "\(embedder.info.name) has no tokenizer to decode with (\(embedder.info.engine))",
                parameter: "ids")
        }
        if let reason = tokenizer.decodeUnsupportedReason {
            throw ServerError(.unsupported, "\(reason), so /decode cannot give the tokenizers library's text", parameter: "ids")
        }
        let texts = try await ServerError.engine(inputField: "ids") { () throws(EmbedError) in
            try await embedder.decode(call.ids, skipSpecialTokens: call.skipSpecialTokens)
        }
        return try JSONResponse.make(texts)
    }

    /// `/embed_all` returns every token's vector; this server's backends return one pooled
    /// vector per input (pooling runs inside the backend run), so the request is checked,
    /// then answered 422 saying so.
    func embedAll(_ body: JSONValue) async throws -> Response {
        _ = try validator.teiEmbedAll(body)
        let embedder = try hosts.defaultEmbedder().embedder
        throw ServerError(
            .unsupported,
            "per-token vectors are not available: \(embedder.info.name) runs on \(embedder.info.engine), whose "
                + "pipeline returns one pooled vector per input and does not expose the model's token outputs; "
                + "use /embed for pooled vectors")
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0
        var normA: Float = 0
        var normB: Float = 0
        for (x, y) in zip(a, b) {
            dot += x * y
            normA += x * x
            normB += y * y
        }
        let denominator = (normA * normB).squareRoot()
        return denominator > 0 ? dot / denominator : 0
    }
}
