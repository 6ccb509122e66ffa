/// The scheduler's queue, protected by its lock: admitted requests, queued inputs, the
/// requests waiting for their vectors. Each method returns the continuations to resume, so
/// that nothing is resumed while the lock is held.
struct SchedulerState {
    typealias Reply = CheckedContinuation<Result<[[Float]], EmbedError>, Never>

    /// One queued input of a request.
    struct Entry: Sendable {
        var job: UInt64
        var slot: Int
        var input: PreparedInput
        var enqueued: ContinuousClock.Instant
    }

    /// A request waiting for its vectors.
    struct Job {
        var reply: Reply
        var vectors: [[Float]]
        var remaining: Int
        /// Whether the caller still wants the answer (for example: its connection is open).
        var isWanted: (@Sendable () -> Bool)?
    }

    /// What ``enqueue(_:inputs:isWanted:reply:now:)`` decided.
    enum Enqueued {
        /// Queued; a batch runner must be started on this idle worker.
        case startRunner(worker: Int)
        /// Queued; the runner is already going.
        case queued
        /// The request was cancelled before it got here: reply at once.
        case cancelled
    }

    private(set) var pending: [Entry] = []
    private var jobs: [UInt64: Job] = [:]
    private var cancelledEarly: Set<UInt64> = []
    private var nextJob: UInt64 = 0
    /// Workers (model threads) with no batch runner; the others loop over the queue.
    private var idleWorkers: [Int]
    private(set) var inFlight = 0
    private(set) var isDraining = false
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    /// A state for `workers` model threads.
    init(workers: Int) {
        idleWorkers = Array((0..<workers).reversed())
    }

    /// Admits one request, or says why not.
    mutating func admit(limit: Int?) throws(EmbedError) {
        guard !isDraining else { throw EmbedError(.unavailable, "the server is shutting down") }
        if let limit, inFlight >= limit {
            throw EmbedError(.overloaded, "too many concurrent requests (the limit is \(limit)); retry later")
        }
        inFlight += 1
    }

    /// Ends an admitted request; returns the drain waiters to wake when it was the last.
    mutating func release() -> [CheckedContinuation<Void, Never>] {
        inFlight -= 1
        return takeDrainWaitersIfIdle()
    }

    /// Refuses new requests from now on.
    mutating func beginDraining() {
        isDraining = true
    }

    /// Adds a waiter for the last request to end; `false` when none is in flight.
    mutating func waitForIdle(_ waiter: CheckedContinuation<Void, Never>) -> Bool {
        guard inFlight > 0 else { return false }
        drainWaiters.append(waiter)
        return true
    }

    private mutating func takeDrainWaitersIfIdle() -> [CheckedContinuation<Void, Never>] {
        guard inFlight == 0, !drainWaiters.isEmpty else { return [] }
        defer { drainWaiters = [] }
        return drainWaiters
    }

    mutating func makeJobID() -> UInt64 {
        nextJob += 1
        return nextJob
    }

    mutating func enqueue(
        _ job: UInt64, inputs: [PreparedInput], isWanted: (@Sendable () -> Bool)?, reply: Reply,
        now: ContinuousClock.Instant
    ) -> Enqueued {
        if cancelledEarly.remove(job) != nil { return .cancelled }
        jobs[job] = Job(
            reply: reply, vectors: [[Float]](repeating: [], count: inputs.count), remaining: inputs.count,
            isWanted: isWanted)
        for (slot, input) in inputs.enumerated() {
            pending.append(Entry(job: job, slot: slot, input: input, enqueued: now))
        }
        guard let worker = idleWorkers.popLast() else { return .queued }
        return .startRunner(worker: worker)
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
        pending.removeAll { $0.job == job }
        return removed.reply
    }

    /// Drops the requests whose caller no longer wants the answer; returns their replies.
    mutating func dropUnwanted() -> [Reply] {
        let unwanted = jobs.filter { $0.value.isWanted?() == false }
        guard !unwanted.isEmpty else { return [] }
        for id in unwanted.keys { jobs[id] = nil }
        pending.removeAll { unwanted[$0.job] != nil }
        return unwanted.values.map(\.reply)
    }

    /// Removes the inputs of the next batch from the queue; `nil` (and the runner of `worker`
    /// stops) when the queue is empty.
    mutating func takeBatch(_ limits: BatchFormer.Limits, worker: Int) -> [Entry]? {
        guard !pending.isEmpty else {
            idleWorkers.append(worker)
            return nil
        }
        let chosen = BatchFormer.select(lengths: pending.map(\.input.length), limits: limits)
        let batch = chosen.map { pending[$0] }
        let taken = Set(chosen)
        var kept: [Entry] = []
        kept.reserveCapacity(pending.count - chosen.count)
        for (position, entry) in pending.enumerated() where !taken.contains(position) { kept.append(entry) }
        pending = kept
        return batch
    }

    /// Records the vectors (or the error) of a batch; returns the replies of the requests it completed.
    mutating func finish(
        _ batch: [Entry], with result: Result<[[Float]], EmbedError>
    ) -> [(Reply, Result<[[Float]], EmbedError>)] {
        var replies: [(Reply, Result<[[Float]], EmbedError>)] = []
        switch result {
        case .failure(let error):
            for job in Set(batch.map(\.job)) {
                guard let removed = jobs.removeValue(forKey: job) else { continue }
                pending.removeAll { $0.job == job }
                replies.append((removed.reply, .failure(error)))
            }
        case .success(let vectors):
            for (entry, vector) in zip(batch, vectors) {
                // A request cancelled while its batch ran is gone: its vectors are dropped.
                guard var job = jobs[entry.job] else { continue }
                job.vectors[entry.slot] = vector
                job.remaining -= 1
                if job.remaining == 0 {
                    jobs[entry.job] = nil
                    replies.append((job.reply, .success(job.vectors)))
                } else {
                    jobs[entry.job] = job
                }
            }
        }
        return replies
    }
}
