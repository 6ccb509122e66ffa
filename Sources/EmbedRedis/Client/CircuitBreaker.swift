import Logging
import Synchronization

/// Closed → open after N consecutive faults → half-open after a cool-down → closed on the
/// first success (or open again on a fault).
///
/// Only faults that say the server is unhealthy count (``RedisError/countsAsFault``). While
/// open, ``admit()`` throws ``RedisError/Code/circuitOpen`` without touching the network.
/// Half-open admits one probe at a time. Each change of state is logged once.
final class CircuitBreaker: Sendable {
    /// Whether an admitted call is the half-open probe.
    struct Permit: Sendable {
        let isProbe: Bool
    }

    /// How a call ended, for the breaker.
    enum Outcome: Sendable {
        /// The server answered (an error reply counts: the server is up).
        case success
        /// A connection failure, timeout or protocol error.
        case fault
        /// Neither (pool exhausted, cancelled, shut down): says nothing about the server.
        case neutral
    }

    private enum Phase: Sendable {
        case closed
        case open(until: ContinuousClock.Instant)
        case halfOpen(probing: Bool)
    }

    private struct State: Sendable {
        var phase: Phase = .closed
        var consecutiveFaults = 0
    }

    private let state = Mutex(State())
    private let threshold: Int
    private let coolDown: Duration
    private let address: String
    private let logger: Logger
    private let now: @Sendable () -> ContinuousClock.Instant

    /// A breaker that opens after `threshold` consecutive faults for `coolDown`.
    init(
        threshold: Int, coolDown: Duration, address: String, logger: Logger,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.threshold = Swift.max(1, threshold)
        self.coolDown = coolDown
        self.address = address
        self.logger = logger
        self.now = now
    }

    /// The current state (open stays open until a call arrives after the cool-down).
    var current: RedisBreakerState {
        state.withLock { state in
            switch state.phase {
            case .closed: .closed
            case .open: .open
            case .halfOpen: .halfOpen
            }
        }
    }

    /// Lets a call through, or throws `circuitOpen`.
    func admit() throws(RedisError) -> Permit {
        let instant = now()
        let result: Result<(Permit, Bool), RedisError> = state.withLock { state in
            switch state.phase {
            case .closed:
                return .success((Permit(isProbe: false), false))
            case .open(let until) where instant >= until:
                state.phase = .halfOpen(probing: true)
                return .success((Permit(isProbe: true), true))
            case .open(let until):
                let left = until - instant
                return .failure(RedisError(
                    .circuitOpen,
                    "Redis \(address): circuit breaker open after \(state.consecutiveFaults) consecutive faults; next try in \(Self.milliseconds(left)) ms"))
            case .halfOpen(probing: true):
                return .failure(RedisError(.circuitOpen, "Redis \(address): circuit breaker half-open, its probe is in flight"))
            case .halfOpen(probing: false):
                state.phase = .halfOpen(probing: true)
                return .success((Permit(isProbe: true), false))
            }
        }
        let (permit, changed) = try result.get()
        if changed {
            logger.notice("Redis circuit breaker half-open: letting one call through", metadata: ["redis.address": "\(address)"])
        }
        return permit
    }

    /// Records how an admitted call ended.
    func record(_ outcome: Outcome, _ permit: Permit) {
        let instant = now()
        let change: RedisBreakerState? = state.withLock { state in
            switch (outcome, state.phase) {
            case (.success, .closed):
                state.consecutiveFaults = 0
                return nil
            case (.success, _):
                guard permit.isProbe else { return nil }
                state.phase = .closed
                state.consecutiveFaults = 0
                return .closed
            case (.fault, .closed):
                state.consecutiveFaults += 1
                guard state.consecutiveFaults >= threshold else { return nil }
                state.phase = .open(until: instant + coolDown)
                return .open
            case (.fault, .halfOpen) where permit.isProbe:
                state.consecutiveFaults += 1
                state.phase = .open(until: instant + coolDown)
                return .open
            case (.fault, _):
                return nil
            case (.neutral, .halfOpen) where permit.isProbe:
                state.phase = .halfOpen(probing: false)
                return nil
            case (.neutral, _):
                return nil
            }
        }
        switch change {
        case .open?:
            logger.warning(
                "Redis circuit breaker open: calls fail at once",
                metadata: ["redis.address": "\(address)", "redis.cool_down_ms": "\(Self.milliseconds(coolDown))"])
        case .closed?:
            logger.notice("Redis circuit breaker closed: the server answered", metadata: ["redis.address": "\(address)"])
        case .halfOpen?, nil:
            break
        }
    }

    /// Whole milliseconds of `duration`.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
