/// How an ``EmbeddingScheduler`` admits requests and forms batches. Every field has a default.
public struct SchedulerConfiguration: Sendable, Equatable {
    /// The most padded tokens (inputs × longest input) in one model run; an input longer than
    /// this runs alone. The default is the offline one (``EmbedderConfiguration/defaultMaxBatchTokens``):
    /// measured under load, 1,024 gave more requests/s than 16,384 and a third of the memory.
    public var maxBatchTokens: Int
    /// The most inputs in one model run.
    public var maxBatchSize: Int
    /// The most padded tokens per real token in one model run (at least 1): inputs that
    /// would pad a batch more wait for one of their own length.
    public var maxPaddingRatio: Double
    /// How many batches run at once, each on its own thread (ONNX Runtime sessions take
    /// concurrent runs). On a small CPU, 2 workers × 1 intra-op thread can beat 1 × 2.
    public var workers: Int
    /// The most requests admitted at once (queued, tokenizing or running); beyond it a request
    /// fails at once with ``EmbedError/Code/overloaded``.
    public var maxConcurrentRequests: Int
    /// The vector cache (zero entries or bytes: no cache).
    public var cache: EmbeddingCache.Configuration

    /// Creates a configuration.
    public init(
        maxBatchTokens: Int = EmbedderConfiguration.defaultMaxBatchTokens, maxBatchSize: Int = 32, maxPaddingRatio: Double = 1.1,
        maxConcurrentRequests: Int = 512, workers: Int = 1, cache: EmbeddingCache.Configuration = .init()
    ) {
        self.workers = workers
        self.maxBatchTokens = maxBatchTokens
        self.maxBatchSize = maxBatchSize
        self.maxPaddingRatio = maxPaddingRatio
        self.maxConcurrentRequests = maxConcurrentRequests
        self.cache = cache
    }

    /// Checks the values.
    func validate() throws(EmbedError) {
        guard maxBatchSize >= 1 else {
            throw EmbedError(.invalidConfiguration, "max batch size must be at least 1, got \(maxBatchSize)")
        }
        guard (1...64).contains(workers) else {
            throw EmbedError(.invalidConfiguration, "workers must be between 1 and 64, got \(workers)")
        }
        guard maxPaddingRatio >= 1 else {
            throw EmbedError(.invalidConfiguration, "max padding ratio must be at least 1, got \(maxPaddingRatio)")
        }
        guard maxConcurrentRequests >= 1 else {
            throw EmbedError(
                .invalidConfiguration, "max concurrent requests must be at least 1, got \(maxConcurrentRequests)")
        }
        guard maxBatchTokens >= 1 else {
            throw EmbedError(.invalidConfiguration, "max batch tokens must be at least 1, got \(maxBatchTokens)")
        }
        guard cache.maxEntries >= 0, cache.maxBytes >= 0 else {
            throw EmbedError(
                .invalidConfiguration,
                "cache bounds must not be negative, got \(cache.maxEntries) entries and \(cache.maxBytes) bytes")
        }
    }
}
