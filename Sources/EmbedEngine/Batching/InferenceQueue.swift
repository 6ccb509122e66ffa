import Dispatch
import Synchronization

/// The threads the engine owns for blocking work (tokenizing a large input, running the
/// model), so that Swift's cooperative thread pool never blocks. Work runs one job at a
/// time, in order; ONNX Runtime parallelises inside each run with its own threads.
final class InferenceQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    /// Runs `work` on the queue and waits for it without blocking the caller's thread.
    /// If the calling task is cancelled, `work` sees it through its ``CancellationFlag``.
    func run<T: Sendable>(_ work: @escaping @Sendable (CancellationFlag) -> Result<T, EmbedError>) async -> Result<T, EmbedError> {
        let flag = CancellationFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                queue.async { continuation.resume(returning: work(flag)) }
            }
        } onCancel: {
            flag.cancel()
        }
    }

    /// Queues `work` without waiting for it (the scheduler's batches resume their callers themselves).
    func submit(_ work: @escaping @Sendable () -> Void) {
        queue.async(execute: work)
    }

    /// Runs `work` on the queue and blocks the calling thread until it finishes. For callers
    /// that own their thread (command-line tools, benchmarks), never for async code.
    func runBlocking<T: Sendable>(_ work: @Sendable (CancellationFlag) -> Result<T, EmbedError>) -> Result<T, EmbedError> {
        queue.sync { work(CancellationFlag()) }
    }
}

/// Set when the task that asked for some work is cancelled; the work checks it between batches.
final class CancellationFlag: Sendable {
    private let state = Mutex(false)

    func cancel() { state.withLock { $0 = true } }

    var isCancelled: Bool { state.withLock { $0 } }
}
