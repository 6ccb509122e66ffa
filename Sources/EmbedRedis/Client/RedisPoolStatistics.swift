/// A snapshot of a client's connection pool, for metrics.
public struct RedisPoolStatistics: Sendable, Equatable {
    /// Connections open (leased or idle) or being opened.
    public var connections: Int
    /// Open connections not leased right now.
    public var idle: Int
    /// Callers queued for a connection.
    public var waiters: Int

    /// Creates a snapshot.
    public init(connections: Int, idle: Int, waiters: Int) {
        self.connections = connections
        self.idle = idle
        self.waiters = waiters
    }
}
