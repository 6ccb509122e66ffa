extension Embedder {
    /// The vectors of `inputs` (texts or token ids) made with per-call `options`: truncation
    /// on or off and its direction, normalisation, Matryoshka `dimensions`. Inputs are checked
    /// and tokenized, grouped into batches of similar length (``EmbedderConfiguration/maxBatchSize``)
    /// and run on the embedder's threads; vectors come back in input order.
    ///
    /// For many concurrent callers, put an ``EmbeddingScheduler`` in front instead: it batches
    /// across calls.
    public func embed(
        _ inputs: [EmbeddingInput], options: EmbeddingOptions
    ) async throws(EmbedError) -> EmbeddingResult {
        try validate(options)
        guard !inputs.isEmpty else {
            return EmbeddingResult(embeddings: [], tokenCounts: [], model: info.name, engine: info.engine)
        }
        let computed = try await queue.run { [self] flag in
            Result { () throws(EmbedError) -> ([[Float]], [Int]) in
                let prompt = requestPrompt(try prompt(for: options.prompt))
                var prepared: [PreparedInput] = []
                prepared.reserveCapacity(inputs.count)
                for (index, input) in inputs.enumerated() {
                    prepared.append(try prepare(input, index: index, options: options, prompt: prompt))
                }
                var vectors = [[Float]](repeating: [], count: inputs.count)
                let plan = BatchPlanner.plan(
                    lengths: prepared.map(\.length), maxBatchSize: configuration.maxBatchSize,
                    maxBatchTokens: configuration.maxBatchTokens, sortByLength: configuration.sortByLength)
                for batch in plan {
                    if flag.isCancelled { throw EmbedError(.cancelled, "embedding was cancelled") }
                    for (index, vector) in zip(batch, try run(batch.map { prepared[$0] })) {
                        vectors[index] = try applyDimensions(vector, options: options)
                    }
                }
                return (vectors, prepared.map(\.tokenCount))
            }
        }.get()
        return EmbeddingResult(embeddings: computed.0, tokenCounts: computed.1, model: info.name, engine: info.engine)
    }
}
