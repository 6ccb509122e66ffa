public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL

/// A Redis client: a bounded connection pool behind a circuit breaker.
///
/// ```swift
/// let client = try RedisClient(configuration: RedisConfiguration(url: "redis://127.0.0.1:6379/0"), logger: logger)
/// try await client.set("key", ByteBuffer(string: "value"), expiration: .seconds(60))
/// let value = try await client.get("key")
/// await client.shutdown()
/// ```
///
/// Every call leases a connection (opened lazily, `HELLO 3` with a RESP2 fallback), writes
/// its command or pipeline in one flush, and waits at most the command timeout for the
/// replies; a timed-out connection is closed, never reused. Consecutive faults open the
/// breaker, and then calls fail at once with ``RedisError/Code/circuitOpen``. Every
/// failure is a ``RedisError``. The client never shuts its event loop group down; call
/// ``shutdown()`` when done with it.
///
/// Cancelling a task does not interrupt a command already written (its timeout bounds
/// it); a task cancelled while it waits for a connection leaves the queue at once with
/// ``RedisError/Code/cancelled``.
public final class RedisClient: Sendable {
    /// The configuration in effect.
    public let configuration: RedisConfiguration
    let pool: ConnectionPool
    let breaker: CircuitBreaker
    private let logger: Logger

    /// A client for `configuration` on `eventLoopGroup` (NIO's shared one by default).
    /// Connects nothing yet; throws `invalidConfiguration` for a bad field or TLS file.
    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) throws(RedisError) {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        let sslContext = try configuration.tls.map { (tls) throws(RedisError) in
            try Self.makeSSLContext(tls, address: configuration.address, logger: logger)
        }
        pool = ConnectionPool(configuration: configuration, sslContext: sslContext, group: eventLoopGroup, logger: logger)
        breaker = CircuitBreaker(
            threshold: configuration.breakerFailureThreshold, coolDown: configuration.breakerCoolDown,
            address: configuration.address, logger: logger)
    }

    /// The circuit breaker's state (export it as a gauge with ``RedisBreakerState/metricValue``).
    public var breakerState: RedisBreakerState { breaker.current }

    /// The pool's connections and waiting callers right now (for metrics).
    public var poolStatistics: RedisPoolStatistics { pool.statistics }

    /// Sends one command and returns its reply; an error reply throws
    /// ``RedisError/Code/serverError(_:)`` with its prefix. `timeout` overrides the
    /// configured command timeout.
    public func send(_ command: RedisCommand, timeout: Duration? = nil) async throws(RedisError) -> RESPValue {
        let replies = try await execute([command], timeout: timeout)
        guard let reply = replies.first else {
            throw RedisError(.protocolError, "Redis \(configuration.address): no reply to \(command.name)")
        }
        if case .error(let message) = reply {
            throw RedisError.server(message, command: command.name, address: configuration.address)
        }
        return reply
    }

    /// Sends `commands` in one write on one connection and returns their replies in order:
    /// one round trip for the batch. Error replies stay in the result as
    /// ``RESPValue/error(_:)`` (one failed command does not fail the others). `timeout`
    /// (default: the command timeout) bounds the whole batch.
    public func pipeline(_ commands: [RedisCommand], timeout: Duration? = nil) async throws(RedisError) -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        return try await execute(commands, timeout: timeout)
    }

    /// The protocol a pooled connection negotiated (opening one when none is open).
    public func protocolVersion() async throws(RedisError) -> RedisProtocolVersion {
        let permit = try breaker.admit()
        do throws(RedisError) {
            let connection = try await pool.lease()
            pool.release(connection)
            breaker.record(.success, permit)
            return connection.protocolVersion
        } catch {
            breaker.record(error.countsAsFault ? .fault : .neutral, permit)
            throw error
        }
    }

    /// Closes every connection and fails waiting callers with ``RedisError/Code/shutdown``;
    /// calls made afterwards fail the same way. Safe to call more than once.
    public func shutdown() async {
        await pool.shutdown()
    }

    /// Breaker, lease, send, release; every outcome is recorded by the breaker.
    private func execute(_ commands: [RedisCommand], timeout: Duration?) async throws(RedisError) -> [RESPValue] {
        let permit = try breaker.admit()
        do throws(RedisError) {
            let connection = try await pool.lease()
            let replies: [RESPValue]
            do throws(RedisError) {
                replies = try await connection.send(commands, timeout: timeout ?? configuration.commandTimeout)
            } catch {
                pool.release(connection)
                throw error
            }
            pool.release(connection)
            breaker.record(.success, permit)
            return replies
        } catch {
            let reported = error.code == .connectionFailed && pool.isShutdown ? pool.shutdownError() : error
            breaker.record(reported.countsAsFault ? .fault : .neutral, permit)
            if reported.countsAsFault {
                logger.debug("Redis call failed", metadata: ["redis.address": "\(configuration.address)", "redis.error": "\(reported)"])
            }
            throw reported
        }
    }
}
