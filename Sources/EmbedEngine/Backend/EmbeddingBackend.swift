/// Something that turns a batch of tokens into one vector per text.
///
/// Implementations are blocking and are only called from the engine's own threads.
public protocol EmbeddingBackend: Sendable {
    /// A name for results and logs, e.g. `onnxruntime 1.31.1 (CPUExecutionProvider)`.
    var engineName: String { get }

    /// Pooled, not yet normalised vectors, one per row of `batch`, in order.
    func embed(_ batch: TokenBatch) throws(EmbedError) -> [[Float]]

    /// Like ``embed(_:)``, adding the seconds spent pooling (as opposed to running the
    /// model) to `poolingSeconds`. The default counts everything as running the model.
    func embed(_ batch: TokenBatch, poolingSeconds: inout Double) throws(EmbedError) -> [[Float]]
}

extension EmbeddingBackend {
    /// Counts everything as running the model.
    public func embed(_ batch: TokenBatch, poolingSeconds: inout Double) throws(EmbedError) -> [[Float]] {
        try embed(batch)
    }
}
