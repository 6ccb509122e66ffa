import EmbedCore
import EmbedHub
public import EmbedTokenizers
import Foundation
public import Logging
import Synchronization

/// Embeddings from a local model: tokenize, run the model, pool, normalise.
///
/// ```swift
/// let embedder = try await Embedder(.folder(modelURL), logger: logger)
/// let vectors = try await embedder.embed(["first text", "second text"])
/// ```
///
/// One pipeline serves every caller, from a command-line tool to a server: *prepare* (options
/// checked and the prompt resolved once per request, inputs tokenized on the embedder's
/// tokenization threads), *batch* (one batch former, with an offline and an online policy,
/// see ``BatchPolicy``), *run* (the ``EmbeddingBackend``, on threads the embedder owns, never
/// on Swift's cooperative pool) and *finish* (output modules, normalisation, `dimensions`,
/// input order). Any number of inputs may be passed; concurrent callers share the queue.
public final class Embedder: Sendable {
    /// What was loaded.
    public let info: ModelInfo
    /// The configuration in effect.
    public let configuration: EmbedderConfiguration
    /// The vector cache of online requests.
    public let cache: EmbeddingCache

    let model: EmbeddingModel
    let former: BatchFormer
    let queue: Mutex<BatchQueue>
    /// The threads that run the model, one per worker.
    let workers: ThreadPool
    /// The threads that tokenize.
    let tokenizers: ThreadPool
    let metrics = EngineMetrics()
    let logger: Logger
    /// See ``attach(sharedCache:)``.
    let sharedCacheSlot = Mutex<(any SharedEmbeddingCache)?>(nil)

    /// Serves `model` (a backend of one's own, or a test double).
    public convenience init(
        model: EmbeddingModel, configuration: EmbedderConfiguration = .init(), logger: Logger
    ) throws(EmbedError) {
        try Self.validate(configuration)
        try model.validate()
        self.init(checked: model, configuration: configuration, workers: Self.workers(configuration), logger: logger)
    }

    init(checked model: EmbeddingModel, configuration: EmbedderConfiguration, workers: ThreadPool, logger: Logger) {
        self.model = model
        info = model.info
        self.configuration = configuration
        cache = EmbeddingCache(configuration.cache)
        former = BatchFormer(configuration: configuration.batching)
        queue = Mutex(BatchQueue(workers: workers.count))
        self.workers = workers
        tokenizers = ThreadPool(label: "swift-embed.tokenize", threads: workers.count)
        self.logger = logger
    }

    /// The one place where an embedder's own settings are checked (the model loader checks
    /// those that concern the model).
    static func validate(_ configuration: EmbedderConfiguration) throws(EmbedError) {
        try configuration.batching.validate()
        try configuration.cache.validate()
        try configuration.images.validate()
        if let maxLength = configuration.maxLength, maxLength < 1 {
            throw EmbedError(.invalidConfiguration, "maximum length must be at least 1, got \(maxLength)")
        }
    }

    static func workers(_ configuration: EmbedderConfiguration) -> ThreadPool {
        ThreadPool(label: "swift-embed.inference", threads: configuration.batching.workers)
    }

    /// The model's tokenizer (`nil` for the hashing engine and models without one).
    public var tokenizer: Tokenizer? { model.text?.tokenizer.tokenizer }

    /// Tokenizes `text` as the embedder does (the model's maximum length, special tokens).
    /// Runs on the calling thread. Throws for a model without a tokenizer (the hashing engine).
    public func encode(_ text: String) throws(EmbedError) -> Encoding {
        let tower = try model.textTower(for: 0)
        guard tower.tokenizer.tokenizer != nil else {
            throw EmbedError(.invalidInput, "\(info.name) has no tokenizer (\(info.engine))", subject: .input)
        }
        return tower.encode(text, maxLength: info.maxLength.value)
    }

    /// The prompt text `choice` resolves to for this model (`nil`: none).
    public func prompt(for choice: PromptChoice) throws(EmbedError) -> String? {
        try info.prompts.resolve(choice, configured: configuration.defaultPrompt)
    }

    /// What is going on now.
    public var status: EngineStatus {
        queue.withLock { EngineStatus(inFlight: $0.inFlight, queuedInputs: $0.queuedInputs, isDraining: $0.isDraining) }
    }

    /// Refuses new requests from now on and returns when every admitted one has been answered.
    public func drain() async {
        queue.withLock { $0.beginDraining() }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            if !queue.withLock({ $0.waitForIdle(waiter) }) { waiter.resume() }
        }
    }
}

/// A snapshot of an embedder's load.
public struct EngineStatus: Sendable, Equatable {
    /// Requests admitted and not yet answered.
    public var inFlight: Int
    /// Inputs waiting for a batch.
    public var queuedInputs: Int
    /// Whether new requests are refused because of shutdown.
    public var isDraining: Bool
}

/// Vectors and what produced them.
public struct EmbeddingResult: Sendable, Equatable {
    /// One vector per input, in input order.
    public var embeddings: [[Float]]
    /// The number of tokens of each input after truncation, special tokens included (UTF-8
    /// bytes for the hashing engine).
    public var tokenCounts: [Int]
    /// The model's name.
    public var model: String
    /// The engine that made the vectors, e.g. `onnxruntime 1.31.1 (CPUExecutionProvider)`
    /// or `hashing (384 dimensions)`.
    public var engine: String
    /// Where the time went (tokenization, model, pooling; each batch).
    public var statistics: EmbeddingStatistics?
}
