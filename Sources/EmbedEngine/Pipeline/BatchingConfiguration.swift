/// How an ``Embedder`` admits requests, forms batches and runs them. Every field has one
/// default, checked in one place (``validate()``); the `embed` command's settings and help
/// text read them from here.
public struct BatchingConfiguration: Sendable, Equatable {
    /// The most inputs in one model run.
    public var maxBatchSize: Int
    /// The most padded tokens (inputs × longest input) in one model run; an input longer than
    /// this runs alone. 1,024 (32 texts of 32 tokens, 4 of 256) was measured fastest on a CPU
    /// offline, and under load it gave more requests/s than 16,384 with a third of the memory
    /// (docs/performance.md): small batches of long texts keep their attention matrices in
    /// the caches.
    public var maxBatchTokens: Int
    /// Online batches: the most padded tokens per real token (at least 1); inputs that would
    /// pad a batch more wait for one of their own length.
    public var maxPaddingRatio: Double
    /// Offline batches: whether inputs are sorted by length first (less padding, same
    /// results, output order unchanged).
    public var sortByLength: Bool
    /// Model runs at once, each on its own thread; tokenization runs on as many threads. Pair
    /// it with ONNX Runtime intra-op threads = cores ÷ workers: on a small CPU, 2 runs × 1
    /// thread can beat 1 run × 2 threads.
    public var workers: Int
    /// The most requests admitted at once (queued, tokenizing or running); beyond it a request
    /// fails at once with ``EmbedError/Code/overloaded``.
    public var maxConcurrentRequests: Int

    /// Creates a configuration.
    public init(
        maxBatchSize: Int = 32, maxBatchTokens: Int = 1024, maxPaddingRatio: Double = 1.1, sortByLength: Bool = true,
        workers: Int = 1, maxConcurrentRequests: Int = 512
    ) {
        self.maxBatchSize = maxBatchSize
        self.maxBatchTokens = maxBatchTokens
        self.maxPaddingRatio = maxPaddingRatio
        self.sortByLength = sortByLength
        self.workers = workers
        self.maxConcurrentRequests = maxConcurrentRequests
    }

    /// The most workers.
    public static let maxWorkers = 64

    /// Checks the values.
    public func validate() throws(EmbedError) {
        guard maxBatchSize >= 1 else {
            throw EmbedError(.invalidConfiguration, "max batch size must be at least 1, got \(maxBatchSize)")
        }
        guard maxBatchTokens >= 1 else {
            throw EmbedError(.invalidConfiguration, "max batch tokens must be at least 1, got \(maxBatchTokens)")
        }
        guard maxPaddingRatio >= 1, maxPaddingRatio.isFinite else {
            throw EmbedError(.invalidConfiguration, "max padding ratio must be a number of at least 1, got \(maxPaddingRatio)")
        }
        guard (1...Self.maxWorkers).contains(workers) else {
            throw EmbedError(.invalidConfiguration, "workers must be between 1 and \(Self.maxWorkers), got \(workers)")
        }
        guard maxConcurrentRequests >= 1 else {
            throw EmbedError(.invalidConfiguration, "max concurrent requests must be at least 1, got \(maxConcurrentRequests)")
        }
    }
}
