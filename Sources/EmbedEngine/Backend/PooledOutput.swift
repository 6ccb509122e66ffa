import EmbedCore

/// A text model's output as one vector per row: pooled here from token vectors
/// `[rows, length, dim]`, or read as they are from an already pooled `[rows, dim]` output.
/// Shared by the backends that run a transformer graph.
enum PooledOutput {
    /// The vectors of `values` (an output named `name` of `shape`) for `batch`; `pooling`
    /// `nil` means the output is already pooled.
    static func vectors(
        _ values: Span<Float>, shape: [Int], name: String, batch: ModelBatch, pooling: Pooling?
    ) throws(EmbedError) -> [[Float]] {
        guard let pooling else {
            guard shape.count == 2, shape[0] == batch.rows, let dimension = shape.last, dimension > 0,
                values.count == batch.rows * dimension
            else {
                throw EmbedError(.invalidModel, "output '\(name)' has shape \(shape), expected [\(batch.rows), dim]")
            }
            return (0..<batch.rows).map { row in (0..<dimension).map { values[row * dimension + $0] } }
        }
        guard shape.count == 3, shape[0] == batch.rows, shape[1] == batch.length, shape[2] > 0 else {
            throw EmbedError(
                .invalidModel, "output '\(name)' has shape \(shape), expected [\(batch.rows), \(batch.length), dim]")
        }
        let mask = batch[ModelBatch.attentionMask]?.int64s.map { $0.map(Int.init) } ?? []
        do {
            return try pooling.pool(
                values, batch: batch.rows, sequence: batch.length, dimension: shape[2], attentionMask: mask,
                promptLengths: batch.promptLengths)
        } catch {
            throw EmbedError(.invalidModel, "pooling output '\(name)': \(error.message)", underlying: error)
        }
    }
}
