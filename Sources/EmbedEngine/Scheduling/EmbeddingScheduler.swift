import EmbedCore
import EmbedTokenizers
public import Logging
import Metrics
public import ServiceLifecycle
import Synchronization

/// Dynamic batching for concurrent callers: what a server puts in front of an ``Embedder``.
///
/// With ``SchedulerConfiguration/workers`` above 1, that many batches run at once, each on
/// its own thread (the embedder's, then the scheduler's); pair it with fewer ONNX Runtime
/// intra-op threads per run.
///
/// Each request is admitted (up to ``SchedulerConfiguration/maxConcurrentRequests``; beyond,
/// ``EmbedError/Code/overloaded``), looked up in the vector cache, tokenized and checked on
/// a tokenization thread, then its inputs are queued. Whenever the model is free, the next
/// batch is formed from everything queued (inputs of similar length together, under a token
/// budget and a size cap) and run on the embedder's own threads; each caller gets exactly
/// its own vectors back, in its order. A caller whose task is cancelled is answered at once
/// and its queued inputs are dropped before they run.
///
/// As a `Service`, it waits for graceful shutdown, then refuses new requests and returns
/// once every admitted request has been answered.
public final class EmbeddingScheduler: Service, Sendable {
    /// The embedder that runs the batches.
    public let embedder: Embedder
    /// The limits in effect.
    public let configuration: SchedulerConfiguration
    /// The vector cache.
    public let cache: EmbeddingCache

    let state: Mutex<SchedulerState>
    let tokenization: InferenceQueue
    /// The threads that run batches: the embedder's own, then one more per extra worker.
    private let workers: [InferenceQueue]
    let metrics: SchedulerMetrics
    let logger: Logger

    /// Creates a scheduler; the configuration is checked against the model.
    public init(embedder: Embedder, configuration: SchedulerConfiguration = .init(), logger: Logger) throws(EmbedError) {
        try configuration.validate()
        self.embedder = embedder
        self.configuration = configuration
        cache = EmbeddingCache(configuration.cache)
        state = Mutex(SchedulerState(workers: configuration.workers))
        workers = [embedder.queue]
            + (1..<max(configuration.workers, 1)).map { InferenceQueue(label: "swift-embed.inference.\($0)") }
        tokenization = InferenceQueue(label: "swift-embed.tokenize")
        metrics = SchedulerMetrics()
        self.logger = logger
    }

    /// The vectors of `inputs` (in order), their token counts and the model that made them.
    ///
    /// - Parameter isWanted: asked before each batch is formed; once it returns `false` (say,
    ///   the client's connection closed) the request's queued inputs are dropped and the call
    ///   fails with ``EmbedError/Code/cancelled``. Called under the scheduler's lock: keep it
    ///   cheap and thread-safe. Cancelling the calling task has the same effect.
    public func embed(
        _ inputs: [EmbeddingInput], options: EmbeddingOptions = .init(), isWanted: (@Sendable () -> Bool)? = nil
    ) async throws(EmbedError) -> EmbeddingResult {
        try admit(limit: configuration.maxConcurrentRequests)
        defer { release() }
        return try await compute(inputs, options: options, useCache: true, isWanted: isWanted)
    }

    /// What is going on now.
    public var status: SchedulerStatus {
        state.withLock { SchedulerStatus(inFlight: $0.inFlight, queuedInputs: $0.pending.count, isDraining: $0.isDraining) }
    }

    /// Refuses new requests from now on and returns when every admitted one has been answered.
    public func drain() async {
        state.withLock { $0.beginDraining() }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            if !state.withLock({ $0.waitForIdle(waiter) }) { waiter.resume() }
        }
    }

    /// Runs until graceful shutdown is asked for, then drains.
    public func run() async throws {
        try? await gracefulShutdown()
        logger.info("draining the embedding queue", metadata: ["in_flight": "\(status.inFlight)"])
        await drain()
    }

    // MARK: - Admission

    func admit(limit: Int?) throws(EmbedError) {
        let inFlight = try state.withLock { (state: inout SchedulerState) throws(EmbedError) -> Int in
            try state.admit(limit: limit)
            return state.inFlight
        }
        metrics.inFlight.record(inFlight)
    }

    func release() {
        let (waiters, inFlight) = state.withLock { state in (state.release(), state.inFlight) }
        metrics.inFlight.record(inFlight)
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - One request

    func compute(
        _ inputs: [EmbeddingInput], options: EmbeddingOptions, useCache: Bool, isWanted: (@Sendable () -> Bool)? = nil
    ) async throws(EmbedError) -> EmbeddingResult {
        try embedder.validate(options)
        let info = embedder.info
        var vectors = [[Float]](repeating: [], count: inputs.count)
        var counts = [Int](repeating: 0, count: inputs.count)
        let normalize = embedder.normalizes(options)
        let prompt = try embedder.prompt(for: options.prompt)
        let keys = inputs.map {
            EmbeddingCache.Key(
                model: info.name, input: $0, truncate: options.truncate,
                truncateLeft: options.truncationDirection == .left, normalize: normalize, prompt: prompt)
        }
        var misses: [Int] = []
        for (index, key) in keys.enumerated() {
            if useCache, let hit = cache.value(for: key) {
                vectors[index] = hit.vector
                counts[index] = hit.tokenCount
            } else {
                misses.append(index)
            }
        }
        if useCache, cache.configuration.isEnabled {
            metrics.recordCache(hits: inputs.count - misses.count, misses: misses.count, usage: cache.usage)
        }
        if !misses.isEmpty {
            let prepared = try await prepare(misses.map { (inputs[$0], $0) }, options: options, prompt: prompt)
            let computed = try await schedule(prepared, isWanted: isWanted)
            for (position, index) in misses.enumerated() {
                vectors[index] = computed[position]
                counts[index] = prepared[position].tokenCount
                if useCache {
                    cache.insert(.init(vector: computed[position], tokenCount: counts[index]), for: keys[index])
                }
            }
        }
        for index in vectors.indices { vectors[index] = try embedder.applyDimensions(vectors[index], options: options) }
        return EmbeddingResult(embeddings: vectors, tokenCounts: counts, model: info.name, engine: info.engine)
    }

    /// Tokenizes and checks inputs on the tokenization thread, text inputs after `prompt`.
    private func prepare(
        _ inputs: [(EmbeddingInput, Int)], options: EmbeddingOptions, prompt text: String?
    ) async throws(EmbedError) -> [PreparedInput] {
        let embedder = embedder
        return try await tokenization.run { flag in
            Result { () throws(EmbedError) -> [PreparedInput] in
                let prompt = embedder.requestPrompt(text)
                var prepared: [PreparedInput] = []
                prepared.reserveCapacity(inputs.count)
                for (input, index) in inputs {
                    if flag.isCancelled { throw EmbedError(.cancelled, "the request was cancelled") }
                    prepared.append(try embedder.prepare(input, index: index, options: options, prompt: prompt))
                }
                return prepared
            }
        }.get()
    }

    /// Queues prepared inputs and waits for their vectors.
    private func schedule(
        _ inputs: [PreparedInput], isWanted: (@Sendable () -> Bool)?
    ) async throws(EmbedError) -> [[Float]] {
        let job = state.withLock { $0.makeJobID() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (reply: SchedulerState.Reply) in
                let (enqueued, depth) = state.withLock { state in
                    (state.enqueue(job, inputs: inputs, isWanted: isWanted, reply: reply, now: .now), state.pending.count)
                }
                metrics.queueDepth.record(depth)
                switch enqueued {
                case .startRunner(let worker): workers[worker].submit { [self] in runNextBatch(on: worker) }
                case .queued: break
                case .cancelled: reply.resume(returning: .failure(EmbedError(.cancelled, "the request was cancelled")))
                }
            }
        } onCancel: {
            if let reply = state.withLock({ $0.cancel(job) }) {
                reply.resume(returning: .failure(EmbedError(.cancelled, "the request was cancelled")))
            }
        }
        state.withLock { $0.forget(job) }
        return try result.get()
    }

    // MARK: - Batches (on the embedder's threads)

    private func runNextBatch(on worker: Int) {
        let limits = BatchFormer.Limits(
            maxBatchSize: configuration.maxBatchSize, maxBatchTokens: configuration.maxBatchTokens,
            maxPaddingRatio: configuration.maxPaddingRatio)
        let (dropped, taken, depth) = state.withLock { state in
            let dropped = state.dropUnwanted()
            return (dropped, state.takeBatch(limits, worker: worker), state.pending.count)
        }
        metrics.queueDepth.record(depth)
        if !dropped.isEmpty {
            metrics.droppedRequests.increment(by: dropped.count)
            for reply in dropped { reply.resume(returning: .failure(EmbedError(.cancelled, "the client went away"))) }
        }
        guard let batch = taken else { return }
        let start = ContinuousClock.now
        for entry in batch { metrics.queueTime.recordNanoseconds(entry.enqueued.duration(to: start).inNanoseconds) }
        let inputs = batch.map(\.input)
        let result = Result { () throws(EmbedError) in try embedder.run(inputs) }
        metrics.recordBatch(lengths: inputs.map(\.length), tokens: inputs.map(\.tokenCount), time: start.duration(to: .now))
        if case .failure(let error) = result {
            logger.error("a batch of \(batch.count) inputs failed: \(error.message)")
        }
        let replies = state.withLock { $0.finish(batch, with: result) }
        for (reply, value) in replies { reply.resume(returning: value) }
        workers[worker].submit { [self] in runNextBatch(on: worker) }
    }
}

/// A snapshot of a scheduler's load.
public struct SchedulerStatus: Sendable, Equatable {
    /// Requests admitted and not yet answered.
    public var inFlight: Int
    /// Inputs waiting for a batch.
    public var queuedInputs: Int
    /// Whether new requests are refused because of shutdown.
    public var isDraining: Bool
}
