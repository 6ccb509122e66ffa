/// Something that runs a model: a batch of named input tensors in, one pooled vector per
/// row out. The engine's one seam between "what the inputs are" and "what computes the
/// vectors": ONNX Runtime (``ONNXBackend``) and the deterministic hashing engine
/// (``HashingBackend``) conform, and so does the test double of `EmbedEngineTesting`.
///
/// Implementations are blocking and are called only from the engine's own threads, possibly
/// from several at once (one per worker): they must be safe to run concurrently.
public protocol EmbeddingBackend: Sendable {
    /// A name for results and logs, e.g. `onnxruntime 1.31.1 (CPUExecutionProvider)`.
    var engineName: String { get }
    /// The towers it runs; a batch for another tower is never sent to it.
    var towers: Set<Tower> { get }

    /// Pooled, not yet normalised vectors, one per row of `batch`, in order, with where
    /// the time went.
    func run(_ batch: ModelBatch) throws(EmbedError) -> BackendOutput
}

/// What one run of a backend returns.
public struct BackendOutput: Sendable, Equatable {
    /// One pooled vector per row, in order.
    public var vectors: [[Float]]
    /// The seconds of the run spent pooling (the rest was the model itself).
    public var poolingSeconds: Double

    /// Creates an output.
    public init(vectors: [[Float]], poolingSeconds: Double = 0) {
        self.vectors = vectors
        self.poolingSeconds = poolingSeconds
    }
}
