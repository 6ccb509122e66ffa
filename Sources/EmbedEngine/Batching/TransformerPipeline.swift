import EmbedCore
import EmbedTokenizers

/// Tokenizer and model: texts → encodings → length-grouped batches → vectors in input order.
struct TransformerPipeline: Sendable {
    let tokenizer: Tokenizer
    let backend: any EmbeddingBackend
    let truncation: Truncation
    let padId: Int

    func embed(
        _ texts: [String], maxBatchSize: Int, sortByLength: Bool, dimension: Int, normalize: Bool,
        cancellation: CancellationFlag
    ) throws(EmbedError) -> (embeddings: [[Float]], tokenCounts: [Int]) {
        let encodings = texts.map { tokenizer.encode($0, truncation: truncation) }
        let plan = BatchPlanner.plan(
            lengths: encodings.map(\.count), maxBatchSize: maxBatchSize, sortByLength: sortByLength)
        var embeddings = [[Float]](repeating: [], count: texts.count)
        for indices in plan {
            if cancellation.isCancelled { throw EmbedError(.cancelled, "embedding was cancelled") }
            let batch = TokenBatch(indices.map { encodings[$0] }, padId: padId)
            let vectors = try backend.embed(batch)
            guard vectors.count == indices.count else {
                throw EmbedError(.runtime, "the backend returned \(vectors.count) vectors for \(indices.count) texts")
            }
            for (index, vector) in zip(indices, vectors) {
                guard vector.count == dimension else {
                    throw EmbedError(.invalidModel, "the model returned a vector of \(vector.count) values, expected \(dimension)")
                }
                embeddings[index] = normalize ? VectorMath.l2Normalized(vector) : vector
            }
        }
        return (embeddings, encodings.map(\.realTokenCount))
    }
}
