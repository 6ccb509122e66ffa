import Logging
import NIOCore
import NIOSSL
import Synchronization

/// A bounded pool of connections, opened lazily, each leased to one caller at a time.
///
/// `lease()` takes the most recently used idle connection (dropping any that broke while
/// idle), else opens a new one while fewer than `poolSize` are open or opening, else
/// queues the caller, first come first served, while fewer than `maxWaiters` are
/// queued (one more fails at once with `poolExhausted`). A queued caller waits at most the
/// command timeout (then `poolExhausted`), is woken with a released connection, or is
/// given the place of one that broke, and then opens the replacement itself.
final class ConnectionPool: Sendable {
    /// What a queued caller is woken with.
    enum Grant: Sendable {
        case connection(RedisConnection)
        /// A place is free: open a connection with this id.
        case open(id: Int)
    }

    struct Waiter: Sendable {
        let id: UInt64
        let continuation: CheckedContinuation<Result<Grant, RedisError>, Never>
    }

    struct State: Sendable {
        var idle: [RedisConnection] = []
        var open: [Int: RedisConnection] = [:]
        var opening = 0
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        var nextConnectionID = 0
        var isShutdown = false

        /// Takes a place for a new connection when one is free; its id.
        mutating func reservePlace(poolSize: Int) -> Int? {
            guard open.count + opening < poolSize else { return nil }
            opening += 1
            nextConnectionID += 1
            return nextConnectionID
        }
    }

    let state = Mutex(State())
    let configuration: RedisConfiguration
    let sslContext: NIOSSLContext?
    let group: any EventLoopGroup
    let logger: Logger

    init(configuration: RedisConfiguration, sslContext: NIOSSLContext?, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.sslContext = sslContext
        self.group = group
        self.logger = logger
    }

    /// Whether ``shutdown()`` was called.
    var isShutdown: Bool { state.withLock { $0.isShutdown } }

    /// Connections open and being opened, idle ones, queued callers.
    var statistics: RedisPoolStatistics {
        state.withLock { RedisPoolStatistics(connections: $0.open.count + $0.opening, idle: $0.idle.count, waiters: $0.waiters.count) }
    }

    /// A connection for the caller alone; give it back with ``release(_:)``.
    func lease() async throws(RedisError) -> RedisConnection {
        var discarded: [RedisConnection] = []
        let fast: Grant? = try state.withLock { (state) throws(RedisError) -> Grant? in
            guard !state.isShutdown else { throw shutdownError() }
            if let connection = Self.popUsable(&state, discarded: &discarded) { return .connection(connection) }
            return state.reservePlace(poolSize: configuration.poolSize).map { .open(id: $0) }
        }
        for connection in discarded { connection.closeNow() }
        let grant: Grant
        if let fast { grant = fast } else { grant = try await wait() }
        switch grant {
        case .connection(let connection): return connection
        case .open(let id): return try await open(id: id)
        }
    }

    /// Takes back a leased connection: it goes to the first waiter or the idle list, or,
    /// when it broke, is dropped and its place given to the first waiter.
    func release(_ connection: RedisConnection) {
        let usable = connection.isUsable
        let (waiter, grant, close): (Waiter?, Grant?, Bool) = state.withLock { state in
            if state.isShutdown {
                state.open[connection.id] = nil
                return (nil, nil, true)
            }
            if !usable {
                state.open[connection.id] = nil
                guard !state.waiters.isEmpty, let id = state.reservePlace(poolSize: configuration.poolSize) else {
                    return (nil, nil, true)
                }
                return (state.waiters.removeFirst(), .open(id: id), true)
            }
            if !state.waiters.isEmpty { return (state.waiters.removeFirst(), .connection(connection), false) }
            state.idle.append(connection)
            return (nil, nil, false)
        }
        if close { connection.closeNow() }
        if !usable {
            logger.debug(
                "Redis connection dropped; the next lease opens a new one",
                metadata: ["redis.address": "\(configuration.address)", "redis.connection": "\(connection.id)"])
        }
        if let waiter, let grant { waiter.continuation.resume(returning: .success(grant)) }
    }

    /// Closes every connection and fails every waiter with `shutdown`; later leases fail.
    func shutdown() async {
        let (waiters, connections) = state.withLock { state in
            state.isShutdown = true
            let taken = (state.waiters, Array(state.open.values))
            state.waiters = []
            state.idle = []
            state.open = [:]
            return taken
        }
        for waiter in waiters { waiter.continuation.resume(returning: .failure(shutdownError())) }
        for connection in connections { await connection.close() }
        if !connections.isEmpty {
            logger.debug("Redis pool closed", metadata: ["redis.address": "\(configuration.address)", "redis.connections": "\(connections.count)"])
        }
    }

    /// Opens connection `id` in a reserved place; on failure the place goes to a waiter.
    private func open(id: Int) async throws(RedisError) -> RedisConnection {
        do throws(RedisError) {
            let connection = try await RedisConnection.connect(
                id: id, configuration: configuration, sslContext: sslContext, group: group, logger: logger)
            let kept = state.withLock { state in
                state.opening -= 1
                guard !state.isShutdown else { return false }
                state.open[connection.id] = connection
                return true
            }
            guard kept else {
                await connection.close()
                throw shutdownError()
            }
            return connection
        } catch {
            let handOver: (Waiter, Int)? = state.withLock { state in
                state.opening -= 1
                guard !state.isShutdown, !state.waiters.isEmpty, let next = state.reservePlace(poolSize: configuration.poolSize) else {
                    return nil
                }
                return (state.waiters.removeFirst(), next)
            }
            if let (waiter, next) = handOver { waiter.continuation.resume(returning: .success(.open(id: next))) }
            throw error
        }
    }

    /// The most recently used idle connection still usable; broken ones go to `discarded`.
    static func popUsable(_ state: inout State, discarded: inout [RedisConnection]) -> RedisConnection? {
        while let connection = state.idle.popLast() {
            if connection.isUsable { return connection }
            state.open[connection.id] = nil
            discarded.append(connection)
        }
        return nil
    }

    /// The error of a pool that was shut down.
    func shutdownError() -> RedisError {
        RedisError(.shutdown, "Redis \(configuration.address): the client was shut down")
    }
}
