/// The engine's queue, protected by its lock: admitted requests, their queued inputs (online)
/// or planned batches (offline), and the requests waiting for their vectors. Each method
/// returns the continuations to resume, so that nothing is resumed while the lock is held.
struct BatchQueue {
    typealias Reply = CheckedContinuation<Result<JobOutput, EmbedError>, Never>

    /// One queued input of a request.
    struct Entry: Sendable {
        var job: UInt64
        var slot: Int
        var input: PreparedInput
        var enqueued: ContinuousClock.Instant
    }

    /// What a request gets back from the queue.
    struct JobOutput: Sendable {
        /// One vector per input, in the request's order.
        var vectors: [[Float]]
        /// The batches its inputs ran in and where their time went.
        var statistics: EmbeddingStatistics
    }

    /// A request waiting for its vectors.
    private struct Job {
        var reply: Reply
        var output: JobOutput
        var remaining: Int
        /// Whether the caller still wants the answer (for example: its connection is open).
        var isWanted: (@Sendable () -> Bool)?
    }

    private var online: [Entry] = []
    /// Offline batches in the order they run, oldest request first.
    private var planned: [[Entry]] = []
    private var jobs: [UInt64: Job] = [:]
    private var cancelledEarly: Set<UInt64> = []
    private var nextJob: UInt64 = 0
    /// Workers with no batch runner; the others loop over the queue.
    private var idleWorkers: [Int]
    private(set) var inFlight = 0
    /// Requests admitted since the start, and the count when the heap was last given back
    /// (see `Embedder.releaseFreeMemoryIfIdle()`).
    private(set) var admitted = 0
    var admittedAtRelease = 0
    private(set) var isDraining = false
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    /// A queue for `workers` model threads.
    init(workers: Int) {
        idleWorkers = Array((0..<workers).reversed())
    }

    /// Inputs waiting for a batch.
    var queuedInputs: Int { online.count + planned.reduce(0) { $0 + $1.count } }

    // MARK: Admission and drain

    /// Admits one request, or says why not (`limit` `nil`: no limit).
    mutating func admit(limit: Int?) throws(EmbedError) {
        guard !isDraining else { throw EmbedError(.unavailable, "the engine is shutting down") }
        if let limit, inFlight >= limit {
            throw EmbedError(.overloaded, "too many concurrent requests (the limit is \(limit)); retry later")
        }
        inFlight += 1
        admitted += 1
    }

    /// Ends an admitted request; returns the drain waiters to wake when it was the last.
    mutating func release() -> [CheckedContinuation<Void, Never>] {
        inFlight -= 1
        guard inFlight == 0, !drainWaiters.isEmpty else { return [] }
        defer { drainWaiters = [] }
        return drainWaiters
    }

    /// Refuses new requests from now on.
    mutating func beginDraining() { isDraining = true }

    /// Adds a waiter for the last request to end; `false` when none is in flight.
    mutating func waitForIdle(_ waiter: CheckedContinuation<Void, Never>) -> Bool {
        guard inFlight > 0 else { return false }
        drainWaiters.append(waiter)
        return true
    }

    // MARK: Requests

    mutating func makeJobID() -> UInt64 {
        nextJob += 1
        return nextJob
    }

    /// Queues a request's inputs as `policy` says (offline: the batches `former` plans for
    /// them); returns the idle workers that must start a runner (`nil`: cancelled before it
    /// got here, reply at once).
    mutating func enqueue(
        _ job: UInt64, inputs: [PreparedInput], policy: BatchPolicy, former: BatchFormer,
        isWanted: (@Sendable () -> Bool)?, reply: Reply, now: ContinuousClock.Instant
    ) -> [Int]? {
        if cancelledEarly.remove(job) != nil { return nil }
        let output = JobOutput(vectors: [[Float]](repeating: [], count: inputs.count), statistics: EmbeddingStatistics())
        jobs[job] = Job(reply: reply, output: output, remaining: inputs.count, isWanted: isWanted)
        let entries = inputs.enumerated().map { Entry(job: job, slot: $0, input: $1, enqueued: now) }
        let batches: Int
        switch policy {
        case .online:
            online += entries
            batches = (online.count + former.configuration.maxBatchSize - 1) / former.configuration.maxBatchSize
        case .offline:
            // Inputs of one tower run together: each tower's inputs are planned on their own.
            for tower in Tower.allCases {
                let positions = inputs.indices.filter { inputs[$0].tower == tower }
                guard !positions.isEmpty else { continue }
                planned += former.plan(lengths: positions.map { inputs[$0].length }).map { $0.map { entries[positions[$0]] } }
            }
            batches = planned.count
        }
        let starting = min(batches, idleWorkers.count)
        return (0..<starting).compactMap { _ in idleWorkers.popLast() }
    }

    /// Forgets a request that has its reply (a cancellation that came too late leaves its id here).
    mutating func forget(_ job: UInt64) {
        cancelledEarly.remove(job)
    }

    /// Forgets a cancelled request: its queued inputs are dropped, its reply is returned.
    mutating func cancel(_ job: UInt64) -> Reply? {
        guard let removed = jobs.removeValue(forKey: job) else {
            cancelledEarly.insert(job)
            return nil
        }
        drop([job])
        return removed.reply
    }

    /// Drops the requests whose caller no longer wants the answer; returns their replies.
    mutating func dropUnwanted() -> [Reply] {
        let unwanted = jobs.filter { $0.value.isWanted?() == false }
        guard !unwanted.isEmpty else { return [] }
        for id in unwanted.keys { jobs[id] = nil }
        drop(Set(unwanted.keys))
        return unwanted.values.map(\.reply)
    }

    private mutating func drop(_ gone: Set<UInt64>) {
        online.removeAll { gone.contains($0.job) }
        planned = planned.compactMap { batch in
            let kept = batch.filter { !gone.contains($0.job) }
            return kept.isEmpty ? nil : kept
        }
    }

    // MARK: Batches

    /// Removes the inputs of the next batch from the queue: the older of the next planned
    /// batch and the oldest online input decides; `nil` (and the runner of `worker` stops)
    /// when the queue is empty.
    mutating func takeBatch(_ former: BatchFormer, worker: Int) -> [Entry]? {
        let plannedAge = planned.first?.first?.enqueued
        let onlineAge = online.first?.enqueued
        if let plannedAge, onlineAge.map({ plannedAge <= $0 }) ?? true {
            return planned.removeFirst()
        }
        guard let oldest = online.first else {
            idleWorkers.append(worker)
            return nil
        }
        // Inputs of one tower run together.
        let positions = online.indices.filter { online[$0].input.tower == oldest.input.tower }
        let chosen = former.select(lengths: positions.map { online[$0].input.length }).map { positions[$0] }
        let batch = chosen.map { online[$0] }
        let taken = Set(chosen)
        online = online.indices.filter { !taken.contains($0) }.map { online[$0] }
        return batch
    }

    /// Records the vectors (or the error) of a batch; returns the replies of the requests it completed.
    mutating func finish(
        _ batch: [Entry], with result: Result<[[Float]], EmbedError>, record: EmbeddingStatistics.Batch
    ) -> [(Reply, Result<JobOutput, EmbedError>)] {
        var replies: [(Reply, Result<JobOutput, EmbedError>)] = []
        switch result {
        case .failure(let error):
            let failed = Set(batch.map(\.job))
            for job in failed {
                guard let removed = jobs.removeValue(forKey: job) else { continue }
                replies.append((removed.reply, .failure(error)))
            }
            drop(failed)
        case .success(let vectors):
            var recorded: Set<UInt64> = []
            for (entry, vector) in zip(batch, vectors) {
                // A request cancelled while its batch ran is gone: its vectors are dropped.
                guard var job = jobs[entry.job] else { continue }
                if recorded.insert(entry.job).inserted { job.output.statistics.add(record) }
                job.output.vectors[entry.slot] = vector
                job.remaining -= 1
                if job.remaining == 0 {
                    jobs[entry.job] = nil
                    replies.append((job.reply, .success(job.output)))
                } else {
                    jobs[entry.job] = job
                }
            }
        }
        return replies
    }
}
