import EmbedCore
import Metrics
import Synchronization
import Logging

/// The pipeline's middle stages: *batch* (requests queued, batches formed by the one
/// ``BatchFormer`` under the request's policy) and *run* (the backend, then each row's output
/// modules, on the embedder's worker threads).
extension Embedder {
    // MARK: Admission

    func admit(limit: Int?) throws(EmbedError) {
        let inFlight = try queue.withLock { (queue: inout BatchQueue) throws(EmbedError) -> Int in
            try queue.admit(limit: limit)
            return queue.inFlight
        }
        metrics.inFlight.record(inFlight)
    }

    func release() {
        let (waiters, inFlight) = queue.withLock { queue in (queue.release(), queue.inFlight) }
        metrics.inFlight.record(inFlight)
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Batch

    /// Queues prepared inputs and waits for their vectors.
    func schedule(
        _ inputs: [PreparedInput], policy: BatchPolicy, isWanted: (@Sendable () -> Bool)?
    ) async throws(EmbedError) -> BatchQueue.JobOutput {
        let job = queue.withLock { $0.makeJobID() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (reply: BatchQueue.Reply) in
                let (starting, depth) = queue.withLock { queue in
                    let starting = queue.enqueue(
                        job, inputs: inputs, policy: policy, former: former, isWanted: isWanted, reply: reply, now: .now)
                    return (starting, queue.queuedInputs)
                }
                metrics.queueDepth.record(depth)
                guard let starting else {
                    return reply.resume(returning: .failure(EmbedError(.cancelled, "the request was cancelled")))
                }
                for worker in starting { workers.submit(to: worker) { [self] in runNextBatch(on: worker) } }
            }
        } onCancel: {
            if let reply = queue.withLock({ $0.cancel(job) }) {
                reply.resume(returning: .failure(EmbedError(.cancelled, "the request was cancelled")))
            }
        }
        queue.withLock { $0.forget(job) }
        return try result.get()
    }

    // MARK: Run (on a worker thread)

    /// Takes the next batch off the queue, runs it and hands each request its vectors; then
    /// goes on with the next one until the queue is empty.
    private func runNextBatch(on worker: Int) {
        let (dropped, taken, depth) = queue.withLock { queue in
            let dropped = queue.dropUnwanted()
            return (dropped, queue.takeBatch(former, worker: worker), queue.queuedInputs)
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
        var record = EmbeddingStatistics.Batch(size: inputs.count, length: 0, realTokens: 0, seconds: 0)
        let result = Result { () throws(EmbedError) in try run(inputs, record: &record) }
        let duration = start.duration(to: .now)
        record.seconds = duration.inSeconds
        metrics.recordBatch(lengths: inputs.map(\.length), tokens: inputs.map(\.tokenCount), time: duration)
        if case .failure(let error) = result {
            logger.error("a batch of \(batch.count) inputs failed: \(error.message)")
        }
        let replies = queue.withLock { $0.finish(batch, with: result, record: record) }
        for (reply, value) in replies { reply.resume(returning: value) }
        workers.submit(to: worker) { [self] in runNextBatch(on: worker) }
    }

    /// One model run: the inputs (all of one tower) collated into a batch, run by the backend,
    /// then each vector through the tower's output modules, normalised as its input asks.
    func run(_ inputs: [PreparedInput], record: inout EmbeddingStatistics.Batch) throws(EmbedError) -> [[Float]] {
        guard let tower = inputs.first?.tower else { return [] }
        guard model.backend.towers.contains(tower) else {
            throw EmbedError(.runtime, "\(model.backend.engineName) does not run the \(tower) tower")
        }
        let batch = try model.collate(inputs, tower: tower)
        record.length = batch.length
        record.realTokens = batch.realTokenCount
        let output = try model.backend.run(batch)
        let finishing = ContinuousClock.now
        defer { record.poolingSeconds = output.poolingSeconds + finishing.duration(to: .now).inSeconds }
        guard output.vectors.count == inputs.count else {
            throw EmbedError(.runtime, "the backend returned \(output.vectors.count) vectors for \(inputs.count) inputs")
        }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(inputs.count)
        for (input, pooled) in zip(inputs, output.vectors) {
            vectors.append(try model.finish(pooled, tower: tower, normalize: input.normalize))
        }
        return vectors
    }
}
