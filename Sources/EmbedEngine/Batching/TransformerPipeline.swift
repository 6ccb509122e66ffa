import Dispatch
import EmbedCore
import EmbedTokenizers
import Synchronization

/// How a large input is cut into model runs.
struct BatchPlanning: Sendable {
    var maxBatchSize: Int
    var maxBatchTokens: Int?
    var sortByLength: Bool
    var workers: Int
}

/// Tokenizer and model: texts → encodings → length-grouped batches → pooled vectors →
/// output modules (Dense, Normalize) → vectors in input order.
struct TransformerPipeline: Sendable {
    let tokenizer: Tokenizer
    let backend: any EmbeddingBackend
    let truncation: Truncation
    let padId: Int
    let outputModules: OutputModules

    /// The vectors of `texts` in input order, their token counts and where the time went.
    /// Each text is preceded by `prompt` when there is one (as sentence-transformers does: the
    /// prompt is put before the text, then the whole is tokenized and truncated). With
    /// `workers` above 1, texts are tokenized in parallel and that many batches run at once,
    /// each on its own thread (pair with intra-op threads = cores ÷ workers).
    func embed(
        _ texts: [String], prompt: String?, plan planning: BatchPlanning, dimension: Int, normalize: Bool,
        cancellation: CancellationFlag
    ) throws(EmbedError) -> (embeddings: [[Float]], tokenCounts: [Int], statistics: EmbeddingStatistics) {
        var statistics = EmbeddingStatistics()
        let tokenizing = ContinuousClock.now
        let inputs = prompt.map { prompt in texts.map { prompt + $0 } } ?? texts
        let encodings = tokenize(inputs, workers: planning.workers)
        let promptLength = prompt.map(promptTokenCount) ?? 0
        statistics.tokenizationSeconds = tokenizing.duration(to: .now).inSeconds
        let plan = BatchPlanner.plan(
            lengths: encodings.map(\.count), maxBatchSize: planning.maxBatchSize, maxBatchTokens: planning.maxBatchTokens,
            sortByLength: planning.sortByLength)
        @Sendable func run(_ indices: [Int], _ statistics: inout EmbeddingStatistics) throws(EmbedError) -> [[Float]] {
            let lengths = promptLength > 0 ? [Int](repeating: promptLength, count: indices.count) : []
            return try self.run(
                indices.map { encodings[$0] }, promptLengths: lengths, dimension: dimension, statistics: &statistics
            ) { _ in normalize }
        }
        var embeddings = [[Float]](repeating: [], count: texts.count)
        let workers = min(planning.workers, plan.count)
        if workers <= 1 {
            for indices in plan {
                if cancellation.isCancelled { throw EmbedError(.cancelled, "embedding was cancelled") }
                let vectors = try run(indices, &statistics)
                for (index, vector) in zip(indices, vectors) { embeddings[index] = vector }
            }
        } else {
            let results = try ParallelBatches.run(plan.count, workers: workers, cancellation: cancellation) {
                (batch, statistics) throws(EmbedError) in try run(plan[batch], &statistics)
            }
            for (indices, vectors) in zip(plan, results.outputs) {
                for (index, vector) in zip(indices, vectors) { embeddings[index] = vector }
            }
            statistics.merge(results.statistics)
        }
        return (embeddings, encodings.map(\.realTokenCount), statistics)
    }

    /// Encodings of `texts`, on `workers` threads when there are enough texts to share.
    private func tokenize(_ texts: [String], workers: Int) -> [Encoding] {
        let chunk = 256
        guard workers > 1, texts.count > chunk else { return texts.map { tokenizer.encode($0, truncation: truncation) } }
        let chunks = (texts.count + chunk - 1) / chunk
        let parts = Mutex([[Encoding]](repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { part in
            let range = (part * chunk)..<min((part + 1) * chunk, texts.count)
            let encoded = texts[range].map { tokenizer.encode($0, truncation: truncation) }
            parts.withLock { $0[part] = encoded }
        }
        return parts.withLock { $0.flatMap { $0 } }
    }

    /// One model run: the vectors of `encodings` in order, through the output modules, each
    /// checked against `dimension` and L2-normalised when `normalize(row)` says so (which
    /// replaces a final Normalize module). `promptLengths`: see ``TokenBatch/promptLengths``.
    func run(
        _ encodings: [Encoding], promptLengths: [Int] = [], dimension: Int, normalize: (Int) -> Bool
    ) throws(EmbedError) -> [[Float]] {
        var statistics = EmbeddingStatistics()
        return try run(encodings, promptLengths: promptLengths, dimension: dimension, statistics: &statistics, normalize: normalize)
    }

    /// ``run(_:promptLengths:dimension:normalize:)``, adding the batch and where its time went
    /// to `statistics`.
    func run(
        _ encodings: [Encoding], promptLengths: [Int] = [], dimension: Int, statistics: inout EmbeddingStatistics,
        normalize: (Int) -> Bool
    ) throws(EmbedError) -> [[Float]] {
        let start = ContinuousClock.now
        var batch = TokenBatch(encodings, padId: padId)
        batch.promptLengths = promptLengths
        var pooling = 0.0
        let vectors = try backend.embed(batch, poolingSeconds: &pooling)
        let modules = ContinuousClock.now
        defer {
            let end = ContinuousClock.now
            let seconds = start.duration(to: end).inSeconds
            let afterPooling = modules.duration(to: end).inSeconds
            statistics.poolingSeconds += pooling + afterPooling
            statistics.inferenceSeconds += seconds - pooling - afterPooling
            statistics.batches.append(.init(size: batch.size, length: batch.length, realTokens: batch.realTokenCount, seconds: seconds))
        }
        guard vectors.count == encodings.count else {
            throw EmbedError(.runtime, "the backend returned \(vectors.count) vectors for \(encodings.count) texts")
        }
        var results: [[Float]] = []
        results.reserveCapacity(vectors.count)
        for (row, pooled) in vectors.enumerated() {
            let vector = try outputModules.apply(pooled, normalize: normalize(row))
            guard vector.count == dimension else {
                throw EmbedError(.invalidModel, "the model returned a vector of \(vector.count) values, expected \(dimension)")
            }
            results.append(vector)
        }
        return results
    }

    /// The number of leading tokens a prompt takes, as sentence-transformers counts them:
    /// the prompt tokenized alone (special tokens included, truncated like a text), less the
    /// closing special token when the tokenizer adds one.
    func promptTokenCount(_ prompt: String) -> Int {
        let encoding = tokenizer.encode(prompt, truncation: truncation)
        guard let last = encoding.specialTokensMask.last else { return 0 }
        return encoding.count - (last == 1 ? 1 : 0)
    }
}
