import EmbedCore
import EmbedTokenizers

/// Tokenizer and model: texts → encodings → length-grouped batches → pooled vectors →
/// output modules (Dense, Normalize) → vectors in input order.
struct TransformerPipeline: Sendable {
    let tokenizer: Tokenizer
    let backend: any EmbeddingBackend
    let truncation: Truncation
    let padId: Int
    let outputModules: OutputModules

    /// Embeds `texts`, each preceded by `prompt` when there is one (as sentence-transformers
    /// does: the prompt is put before the text, then the whole is tokenized and truncated).
    func embed(
        _ texts: [String], prompt: String?, maxBatchSize: Int, sortByLength: Bool, dimension: Int,
        cancellation: CancellationFlag
    ) throws(EmbedError) -> (embeddings: [[Float]], tokenCounts: [Int]) {
        let inputs = prompt.map { prompt in texts.map { prompt + $0 } } ?? texts
        let encodings = inputs.map { tokenizer.encode($0, truncation: truncation) }
        let promptLength = prompt.map(promptTokenCount) ?? 0
        let plan = BatchPlanner.plan(
            lengths: encodings.map(\.count), maxBatchSize: maxBatchSize, sortByLength: sortByLength)
        var embeddings = [[Float]](repeating: [], count: texts.count)
        for indices in plan {
            if cancellation.isCancelled { throw EmbedError(.cancelled, "embedding was cancelled") }
            var batch = TokenBatch(indices.map { encodings[$0] }, padId: padId)
            batch.promptLength = promptLength
            let vectors = try backend.embed(batch)
            guard vectors.count == indices.count else {
                throw EmbedError(.runtime, "the backend returned \(vectors.count) vectors for \(indices.count) texts")
            }
            for (index, pooled) in zip(indices, vectors) {
                let vector = try outputModules.apply(pooled)
                guard vector.count == dimension else {
                    throw EmbedError(.invalidModel, "the model returned a vector of \(vector.count) values, expected \(dimension)")
                }
                embeddings[index] = vector
            }
        }
        return (embeddings, encodings.map(\.realTokenCount))
    }

    /// The number of leading tokens a prompt takes, as sentence-transformers counts them:
    /// the prompt tokenized alone (special tokens included, truncated like a text), less the
    /// closing special token when the tokenizer adds one.
    func promptTokenCount(_ prompt: String) -> Int {
        let encoding = tokenizer.encode(prompt, truncation: truncation)
        guard let last = encoding.specialTokensMask.last else { return 0 }
        return encoding.count - (last == 1 ? 1 : 0)
    }
}
