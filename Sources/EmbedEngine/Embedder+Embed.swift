import EmbedCore
import EmbedTokenizers

/// The pipeline's entry points and its first and last stages: *prepare* (options checked
/// once, the cache, tokenization on the tokenization threads) and *finish* (`dimensions`,
/// input order, the cache). Batching and running are in `Embedder+Queue.swift`.
extension Embedder {
    /// The vectors of `texts`, in order, with the offline policy (the whole input at once).
    public func embed(_ texts: [String], options: EmbeddingOptions = .init()) async throws(EmbedError) -> [[Float]] {
        try await embedWithDetails(texts, options: options).embeddings
    }

    /// The vectors of `texts` with token counts, the model and engine that made them and
    /// where the time went, with the offline policy.
    public func embedWithDetails(_ texts: [String], options: EmbeddingOptions = .init()) async throws(EmbedError) -> EmbeddingResult {
        try await embed(texts.map(EmbeddingInput.text), options: options)
    }

    /// The vectors of `inputs` (texts, token ids or images, in any mix: each runs through its
    /// tower, and the vectors come back in input order) made with per-call `options`, batched as
    /// `policy` says: ``BatchPolicy/offline`` for one large call, ``BatchPolicy/online`` for
    /// many concurrent small ones (a server's: batches across calls, vector cache).
    ///
    /// - Parameter isWanted: asked before each batch is formed; once it returns `false` (say,
    ///   the client's connection closed) the request's queued inputs are dropped and the call
    ///   fails with ``EmbedError/Code/cancelled``. Called under the queue's lock: keep it cheap
    ///   and thread-safe. Cancelling the calling task has the same effect.
    public func embed(
        _ inputs: [EmbeddingInput], options: EmbeddingOptions = .init(), policy: BatchPolicy = .offline,
        isWanted: (@Sendable () -> Bool)? = nil
    ) async throws(EmbedError) -> EmbeddingResult {
        try admit(limit: configuration.batching.maxConcurrentRequests)
        defer { release() }
        return try await compute(inputs, options: options, policy: policy, useCache: policy == .online, isWanted: isWanted)
    }

    /// Checks `options` against the model, once per request: the prompt (resolved to its
    /// text) and `dimensions` (between 1 and the model's dimension).
    func plan(_ options: EmbeddingOptions) throws(EmbedError) -> RequestPlan {
        let prompt = try prompt(for: options.prompt)
        if let dimensions = options.dimensions, !(1...info.dimension).contains(dimensions) {
            throw EmbedError(
                .invalidInput, "dimensions must be between 1 and the model's dimension \(info.dimension), got \(dimensions)",
                subject: .dimensions)
        }
        return RequestPlan(options: options, prompt: prompt, normalize: options.normalize ?? info.normalize)
    }

    /// One admitted request through the whole pipeline.
    func compute(
        _ inputs: [EmbeddingInput], options: EmbeddingOptions, policy: BatchPolicy, useCache: Bool,
        isWanted: (@Sendable () -> Bool)? = nil
    ) async throws(EmbedError) -> EmbeddingResult {
        let plan = try plan(options)
        var vectors = [[Float]](repeating: [], count: inputs.count)
        var counts = [Int](repeating: 0, count: inputs.count)
        let keys = inputs.map {
            EmbeddingCache.Key(
                model: info.name, input: $0, truncate: options.truncate,
                truncateLeft: options.truncationDirection == .left, normalize: plan.normalize, prompt: plan.prompt)
        }
        let caching = useCache && cache.configuration.isEnabled
        var misses: [Int] = []
        for (index, key) in keys.enumerated() {
            if caching, let hit = cache.value(for: key) {
                vectors[index] = hit.vector
                counts[index] = hit.tokenCount
            } else {
                misses.append(index)
            }
        }
        if caching { metrics.recordCache(hits: inputs.count - misses.count, misses: misses.count, usage: cache.usage) }
        // The shared cache works with the in-process one off (`maxEntries` 0) too.
        let shared = useCache ? sharedCache : nil
        if let shared, !misses.isEmpty {
            misses = await lookUpShared(
                shared, inputs: inputs, misses: misses, plan: plan, keys: keys, vectors: &vectors, counts: &counts)
        }
        var statistics = EmbeddingStatistics()
        if !misses.isEmpty {
            let start = ContinuousClock.now
            let prepared = try await prepare(misses.map { (inputs[$0], $0) }, plan: plan)
            statistics.tokenizationSeconds = start.duration(to: .now).inSeconds
            let output = try await schedule(prepared, policy: policy, isWanted: isWanted)
            statistics.add(output.statistics)
            for (position, index) in misses.enumerated() {
                vectors[index] = output.vectors[position]
                counts[index] = prepared[position].tokenCount
                if caching { cache.insert(.init(vector: vectors[index], tokenCount: counts[index]), for: keys[index]) }
            }
            shared?.store(misses.map { index in
                (sharedKey(inputs[index], plan: plan), SharedCacheEntry(vector: vectors[index], tokenCount: counts[index]))
            })
        }
        if let dimensions = plan.options.dimensions {
            for index in vectors.indices where dimensions < vectors[index].count {
                vectors[index] = VectorMath.truncated(vectors[index], to: dimensions, normalize: plan.normalize)
            }
        }
        return EmbeddingResult(
            embeddings: vectors, tokenCounts: counts, model: info.name, engine: info.engine, statistics: statistics)
    }

    /// The texts per tokenization chunk: large inputs are shared among the tokenization threads.
    static let tokenizationChunk = 256

    /// The images per chunk: decoding one takes as long as tokenizing hundreds of texts.
    static let imageChunk = 4

    /// Checks and tokenizes texts (after the request's prompt) and decodes and preprocesses
    /// images (each input with its index in the request) on the tokenization threads.
    func prepare(_ inputs: [(EmbeddingInput, Int)], plan: RequestPlan) async throws(EmbedError) -> [PreparedInput] {
        let model = model
        let maxLength = info.maxLength.value
        let chunk = inputs.contains { $0.0.tower == .vision } ? Self.imageChunk : Self.tokenizationChunk
        return try await tokenizers.map(count: inputs.count, chunkSize: chunk) {
            (range) throws(EmbedError) -> [PreparedInput] in
            var prepared: [PreparedInput] = []
            prepared.reserveCapacity(range.count)
            for position in range {
                let (input, index) = inputs[position]
                prepared.append(try model.prepare(input, index: index, plan: plan, maxLength: maxLength))
            }
            return prepared
        }
    }
}

extension EmbeddingStatistics {
    /// Adds `other`'s model times and batches.
    mutating func add(_ other: EmbeddingStatistics) {
        inferenceSeconds += other.inferenceSeconds
        poolingSeconds += other.poolingSeconds
        batches += other.batches
    }
}
