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
            let vectors = try run(indices.map { encodings[$0] }, dimension: dimension) { _ in normalize }
            for (index, vector) in zip(indices, vectors) { embeddings[index] = vector }
        }
        return (embeddings, encodings.map(\.realTokenCount))
    }

    /// One model run: the vectors of `encodings` in order, each checked against `dimension`
    /// and L2-normalised when `normalize(row)` says so.
    func run(
        _ encodings: [Encoding], dimension: Int, normalize: (Int) -> Bool
    ) throws(EmbedError) -> [[Float]] {
        let vectors = try backend.embed(TokenBatch(encodings, padId: padId))
        guard vectors.count == encodings.count else {
            throw EmbedError(.runtime, "the backend returned \(vectors.count) vectors for \(encodings.count) texts")
        }
        var results: [[Float]] = []
        results.reserveCapacity(vectors.count)
        for (row, vector) in vectors.enumerated() {
            guard vector.count == dimension else {
                throw EmbedError(.invalidModel, "the model returned a vector of \(vector.count) values, expected \(dimension)")
            }
            results.append(normalize(row) ? VectorMath.l2Normalized(vector) : vector)
        }
        return results
    }
}
