/// The state of a client's circuit breaker, for metrics and health checks.
public enum RedisBreakerState: String, Sendable, Equatable, CustomStringConvertible {
    /// Calls go to the server.
    case closed
    /// Calls fail at once with ``RedisError/Code/circuitOpen`` until the cool-down ends.
    case open
    /// The cool-down ended: one call goes to the server; its outcome closes or reopens
    /// the breaker, and other calls fail with `circuitOpen` meanwhile.
    case halfOpen = "half-open"

    /// A number for a gauge: 0 closed, 1 half-open, 2 open.
    public var metricValue: Int {
        switch self {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }

    /// `closed`, `open` or `half-open`.
    public var description: String { rawValue }
}
