/// Where the time of one embedding call went, as the engine measured it: for benchmarks
/// (`embed bench`) and for choosing batch sizes. Online, a batch is shared with other
/// requests: each request that had inputs in it lists it.
public struct EmbeddingStatistics: Sendable, Equatable {
    /// Tokenizing the texts.
    public var tokenizationSeconds: Double = 0
    /// Running the model (ONNX Runtime), padding the batches included.
    public var inferenceSeconds: Double = 0
    /// Pooling the model's output and normalising the vectors.
    public var poolingSeconds: Double = 0
    /// Each model batch: its size, its padded length and how long it took (model and pooling).
    public var batches: [Batch] = []

    /// One model run.
    public struct Batch: Sendable, Equatable {
        /// Texts in the batch.
        public var size: Int
        /// Tokens per row after padding.
        public var length: Int
        /// Real (not padding) tokens.
        public var realTokens: Int
        /// Seconds from building the tensors to the normalised vectors.
        public var seconds: Double
        /// The part of ``seconds`` spent pooling and in the output modules.
        public var poolingSeconds: Double = 0
    }

    /// Creates empty statistics.
    public init() {}

    /// Adds one batch and its times.
    mutating func add(_ batch: Batch) {
        batches.append(batch)
        poolingSeconds += batch.poolingSeconds
        inferenceSeconds += batch.seconds - batch.poolingSeconds
    }

    /// Tokens the model ran, padding included.
    public var paddedTokens: Int { batches.reduce(0) { $0 + $1.size * $1.length } }
    /// Tokens of the texts themselves.
    public var realTokens: Int { batches.reduce(0) { $0 + $1.realTokens } }
    /// Padded tokens per real token (1: no padding at all).
    public var paddingRatio: Double { realTokens == 0 ? 1 : Double(paddedTokens) / Double(realTokens) }
}
