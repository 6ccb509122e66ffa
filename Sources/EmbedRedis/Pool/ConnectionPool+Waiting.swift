import NIOCore
import Synchronization

extension ConnectionPool {
    /// Queues the caller until a connection or a place is free, at most the command
    /// timeout; fails at once when `maxWaiters` callers already wait.
    func wait() async throws(RedisError) -> Grant {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Grant, RedisError>, Never>) in
                var discarded: [RedisConnection] = []
                let immediate: Result<Grant, RedisError>? = state.withLock { state in
                    if state.isShutdown { return .failure(shutdownError()) }
                    if Task.isCancelled { return .failure(cancelledError()) }
                    if let connection = Self.popUsable(&state, discarded: &discarded) { return .success(.connection(connection)) }
                    if let place = state.reservePlace(poolSize: configuration.poolSize) { return .success(.open(id: place)) }
                    guard state.waiters.count < configuration.maxWaiters else {
                        return .failure(RedisError(
                            .poolExhausted,
                            "Redis \(configuration.address): all \(configuration.poolSize) connections are busy and \(state.waiters.count) callers already wait"))
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                for connection in discarded { connection.closeNow() }
                if let immediate {
                    continuation.resume(returning: immediate)
                    return
                }
                let timeout = configuration.commandTimeout
                group.any().scheduleTask(in: TimeAmount(timeout)) { [self] in
                    let milliseconds = CircuitBreaker.milliseconds(timeout)
                    removeWaiter(id, RedisError(
                        .poolExhausted,
                        "Redis \(configuration.address): no connection became free within \(milliseconds) ms (all \(configuration.poolSize) busy)"))
                }
            }
        } onCancel: {
            removeWaiter(id, cancelledError())
        }
        return try result.get()
    }

    /// Fails waiter `id` with `error` when it is still queued.
    private func removeWaiter(_ id: UInt64, _ error: RedisError) {
        let waiter: Waiter? = state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: .failure(error))
    }

    /// The error of a caller cancelled while it waited.
    private func cancelledError() -> RedisError {
        RedisError(.cancelled, "Redis \(configuration.address): cancelled while waiting for a connection")
    }
}
