import EmbedCore
import EmbedEngine
import Hummingbird

/// `/v1/embeddings` pairs whose texts another served model embeds (`fusion.text_model`):
/// the pairs' texts go to that model, everything else to the request's, and each pair is
/// the concatenation of the two vectors.
extension EmbeddingRoutes {
    /// The model `fusion.text_model` names, `nil` when the request has none or it is the
    /// request's own model (then the call's choice forgets it: a fusion of one model). A name
    /// not served is a 404 naming those that are.
    func textModel(of call: inout OpenAIEmbeddingCall, servedAs name: String) throws(ServerError) -> (embedder: Embedder, name: String)? {
        guard let textName = call.fusion?.textModel else { return nil }
        let entry = try hosts.entry(named: textName, parameter: "fusion.text_model")
        let (embedder, _) = try entry.host.embedder()
        let textServed = entry.servedName(embedder)
        guard textServed != name else {
            call.fusion?.textModel = nil
            return nil
        }
        call.fusion?.textModel = textServed
        return (embedder, textServed)
    }

    /// The engine's vectors, one per input in the call's order, and the tokens counted: the
    /// pairs' texts from `texts`, the rest from `embedder`, each call admitted and limited by
    /// its own model as any request is.
    func crossModel(
        _ call: OpenAIEmbeddingCall, embedder: Embedder, texts: (embedder: Embedder, name: String),
        _ context: ServerRequestContext
    ) async throws(ServerError) -> (embeddings: [[Float]], tokens: Int) {
        let split = call.crossModelSplit
        let textResult = try await embed(call, split.texts, on: texts.embedder, context)
        let otherResult = try await embed(call, split.others, on: embedder, context)
        var embeddings = [[Float]](repeating: [], count: call.inputs.count)
        for (index, vector) in zip(split.texts, textResult.embeddings) { embeddings[index] = vector }
        for (index, vector) in zip(split.others, otherResult.embeddings) { embeddings[index] = vector }
        let tokens = textResult.tokenCounts.reduce(0, +) + otherResult.tokenCounts.reduce(0, +)
        return (embeddings, tokens)
    }

    /// The inputs at `indices` embedded by `embedder`; an error names the request's input.
    private func embed(
        _ call: OpenAIEmbeddingCall, _ indices: [Int], on embedder: Embedder, _ context: ServerRequestContext
    ) async throws(ServerError) -> (embeddings: [[Float]], tokenCounts: [Int]) {
        guard !indices.isEmpty else { return ([], []) }
        let inputs = indices.map { call.inputs[$0] }
        do throws(ServerError) {
            let result = try await ServerError.engine(inputField: "input") { () throws(EmbedError) in
                try await embedder.embed(inputs, options: call.options, policy: .online, isWanted: context.isClientConnected)
            }
            return (result.embeddings, result.tokenCounts)
        } catch {
            throw call.naming(error, among: indices)
        }
    }
}
