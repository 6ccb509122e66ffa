import Dispatch
import Synchronization

/// Runs numbered jobs on several threads at once, each thread taking the next job when it is
/// free, and keeps each job's output in place. The first error stops the remaining jobs.
enum ParallelBatches {
    struct Results<Output: Sendable>: Sendable {
        var outputs: [Output]
        var statistics: EmbeddingStatistics
    }

    private struct State<Output: Sendable>: Sendable {
        var next = 0
        var outputs: [Output?]
        var statistics = EmbeddingStatistics()
        var failure: EmbedError?
    }

    /// Runs jobs `0..<count` on `workers` threads (the calling one included) and waits.
    static func run<Output: Sendable>(
        _ count: Int, workers: Int, cancellation: CancellationFlag,
        _ job: @Sendable (Int, inout EmbeddingStatistics) throws(EmbedError) -> Output
    ) throws(EmbedError) -> Results<Output> {
        let state = Mutex(State<Output>(outputs: [Output?](repeating: nil, count: count)))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var statistics = EmbeddingStatistics()
            while true {
                let index: Int? = state.withLock { state in
                    guard state.failure == nil, state.next < count else { return nil }
                    if cancellation.isCancelled {
                        state.failure = EmbedError(.cancelled, "embedding was cancelled")
                        return nil
                    }
                    defer { state.next += 1 }
                    return state.next
                }
                guard let index else { break }
                do throws(EmbedError) {
                    let output = try job(index, &statistics)
                    state.withLock { $0.outputs[index] = output }
                } catch {
                    state.withLock { state in if state.failure == nil { state.failure = error } }
                }
            }
            state.withLock { $0.statistics.merge(statistics) }
        }
        return try state.withLock { (state) throws(EmbedError) -> Results<Output> in
            if let failure = state.failure { throw failure }
            return Results(outputs: state.outputs.compactMap { $0 }, statistics: state.statistics)
        }
    }
}
