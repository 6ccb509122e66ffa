import Dispatch
import Synchronization

/// Threads the engine owns for blocking work (tokenizing, running the model, loading it),
/// so that Swift's cooperative thread pool never blocks. Each thread is a serial queue: work
/// sent to one thread runs in order; ONNX Runtime parallelises inside each run with its own
/// threads.
final class ThreadPool: Sendable {
    private let queues: [DispatchQueue]
    private let next = Mutex(0)

    /// `threads` threads (at least one) named `label.N`.
    init(label: String, threads: Int) {
        queues = (0..<max(threads, 1)).map { DispatchQueue(label: "\(label).\($0)", qos: .userInitiated) }
    }

    /// The number of threads.
    var count: Int { queues.count }

    /// Queues `work` on thread `index` without waiting for it.
    func submit(to index: Int, _ work: @escaping @Sendable () -> Void) {
        queues[index % queues.count].async(execute: work)
    }

    /// Runs `work` on the next thread (round robin) and waits for it without blocking the
    /// caller's thread. If the calling task is cancelled, `work` sees it through its flag.
    func run<T: Sendable>(
        _ work: @escaping @Sendable (CancellationFlag) -> Result<T, EmbedError>
    ) async -> Result<T, EmbedError> {
        let flag = CancellationFlag()
        let index = next.withLock { index in
            defer { index = (index + 1) % queues.count }
            return index
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                queues[index].async { continuation.resume(returning: work(flag)) }
            }
        } onCancel: {
            flag.cancel()
        }
    }

    /// `body` over the chunks of `0..<count` (`chunkSize` each), on as many threads as there
    /// are chunks (at most all of them), each thread taking the next chunk when it is free;
    /// the outputs joined in order. The first error (or the task's cancellation) stops the
    /// chunks not yet started.
    func map<T: Sendable>(
        count: Int, chunkSize: Int, _ body: @escaping @Sendable (Range<Int>) throws(EmbedError) -> [T]
    ) async throws(EmbedError) -> [T] {
        let chunks = (count + chunkSize - 1) / max(chunkSize, 1)
        guard chunks > 1 else {
            return try await run { _ in Result { () throws(EmbedError) in try body(0..<count) } }.get()
        }
        let job = ChunkJob<T>(chunks: chunks, takers: min(chunks, queues.count))
        let first = next.withLock { index in
            defer { index = (index + job.takers) % queues.count }
            return index
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Result<[T], EmbedError>, Never>) in
                job.setReply(done)
                for taker in 0..<job.takers {
                    queues[(first + taker) % queues.count].async {
                        while let chunk = job.nextChunk() {
                            let range = (chunk * chunkSize)..<min((chunk + 1) * chunkSize, count)
                            job.record(chunk, Result { () throws(EmbedError) in try body(range) })
                        }
                        job.takerFinished()
                    }
                }
            }
        } onCancel: {
            job.cancel()
        }
        return try result.get()
    }
}

/// The shared state of one ``ThreadPool/map(count:chunkSize:_:)``.
private final class ChunkJob<T: Sendable>: Sendable {
    private struct State {
        var next = 0
        var outputs: [[T]?]
        var failure: EmbedError?
        var running: Int
        var reply: CheckedContinuation<Result<[T], EmbedError>, Never>?
    }

    let takers: Int
    private let state: Mutex<State>

    init(chunks: Int, takers: Int) {
        self.takers = takers
        state = Mutex(State(outputs: [[T]?](repeating: nil, count: chunks), running: takers))
    }

    func setReply(_ reply: CheckedContinuation<Result<[T], EmbedError>, Never>) {
        state.withLock { $0.reply = reply }
    }

    func nextChunk() -> Int? {
        state.withLock { state in
            guard state.failure == nil, state.next < state.outputs.count else { return nil }
            defer { state.next += 1 }
            return state.next
        }
    }

    func record(_ chunk: Int, _ result: Result<[T], EmbedError>) {
        state.withLock { state in
            switch result {
            case .success(let output): state.outputs[chunk] = output
            case .failure(let error): if state.failure == nil { state.failure = error }
            }
        }
    }

    func cancel() {
        state.withLock { state in
            if state.failure == nil { state.failure = EmbedError(.cancelled, "the request was cancelled") }
        }
    }

    func takerFinished() {
        let finished: (CheckedContinuation<Result<[T], EmbedError>, Never>, Result<[T], EmbedError>)? = state.withLock { state in
            state.running -= 1
            guard state.running == 0, let reply = state.reply else { return nil }
            state.reply = nil
            if let failure = state.failure { return (reply, .failure(failure)) }
            return (reply, .success(state.outputs.flatMap { $0 ?? [] }))
        }
        if let (reply, result) = finished { reply.resume(returning: result) }
    }
}

/// Set when the task that asked for some work is cancelled; the work checks it between steps.
final class CancellationFlag: Sendable {
    private let state = Mutex(false)

    func cancel() { state.withLock { $0 = true } }

    var isCancelled: Bool { state.withLock { $0 } }
}
