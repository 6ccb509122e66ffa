import EmbedRedis
import NIOCore
import Testing

@Suite("Connection pool", .enabled(if: RedisTestEnvironment.isRedisAvailable, RedisTestEnvironment.skipReason))
struct RedisPoolTests {
    /// Holds the client's only connection for about `seconds` (BLPOP on an empty list).
    /// The timing checks below compare a fast path with a hold of many seconds, so that a
    /// loaded 2-core CI host (where a 150 ms wait once took 2.3 s) cannot blur the two.
    private func occupy(_ client: RedisClient, seconds: Int) -> Task<RESPValue, any Error> {
        Task { try await client.send(RedisCommand("BLPOP", ["nothing-here", String(seconds)]), timeout: .seconds(seconds + 30)) }
    }

    @Test("more concurrent callers than connections: all complete, at most poolSize open")
    func manyCallers() async throws {
        try await RedisTestEnvironment.withServer(configure: {
            $0.poolSize = 2
            $0.maxWaiters = 64
            // The last of 40 callers waits for ~38 leases; on a loaded 2-core CI machine
            // (the whole suite runs in parallel) that took over the 5 s default once.
            $0.commandTimeout = .seconds(60)
        }) { _, client in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let value = ByteBuffer(string: "value \(index)")
                        try await client.set("caller:\(index)", value)
                        return try await client.get("caller:\(index)") == value
                    }
                }
                var succeeded = 0
                for try await ok in group where ok { succeeded += 1 }
                #expect(succeeded == 40, "exact")
            }
            #expect(client.poolStatistics.connections <= 2, "pool size 2, \(client.poolStatistics.connections) open")
        }
    }

    @Test("beyond maxWaiters a caller fails at once with poolExhausted; the waiter is served")
    func waiterLimit() async throws {
        try await RedisTestEnvironment.withServer(configure: {
            $0.poolSize = 1
            $0.maxWaiters = 1
            $0.commandTimeout = .seconds(30)
        }) { _, client in
            try await client.ping()
            let holder = occupy(client, seconds: 1)
            try await eventually("BLPOP holds the connection") { client.poolStatistics.idle == 0 }
            let waiter = Task { try await client.get("k") }
            try await eventually("a caller queues") { client.poolStatistics.waiters == 1 }
            let start = ContinuousClock.now
            await expectRedisError(.poolExhausted, containing: "1 callers already wait") { try await client.get("k") }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < .seconds(15), "refused at once: \(elapsed) (bound 15 s, half the 30 s timeout it did not wait for)")
            #expect(try await holder.value == .null, "BLPOP timed out on the server")
            #expect(try await waiter.value == nil, "the queued caller got the connection")
            #expect(client.breakerState == .closed, "pool exhaustion is no server fault")
        }
    }

    @Test("a queued caller waits at most the command timeout, then poolExhausted")
    func waitTimeout() async throws {
        try await RedisTestEnvironment.withServer(configure: {
            $0.poolSize = 1
            $0.maxWaiters = 4
            $0.commandTimeout = .milliseconds(150)
        }) { _, client in
            try await client.ping(timeout: .seconds(5))
            // The holder keeps the only connection for 30 s: a caller that got poolExhausted well
            // before that was ended by its own timeout, not by the connection coming back.
            let holder = occupy(client, seconds: 30)
            try await eventually("BLPOP holds the connection") { client.poolStatistics.idle == 0 }
            let start = ContinuousClock.now
            await expectRedisError(.poolExhausted, containing: "within 150 ms") { try await client.get("k") }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(149), "waited \(elapsed), the 150 ms timeout (1 ms tolerance)")
            #expect(elapsed < .seconds(15), "waited \(elapsed), bound 15 s (BLPOP holds the connection for 30 s)")
            await client.shutdown()
            await expectRedisError(.shutdown) { try await holder.value }
        }
    }

    @Test("shutdown fails the waiting callers and the busy one; later calls fail with shutdown")
    func shutdown() async throws {
        try await RedisTestEnvironment.withServer(configure: {
            $0.poolSize = 1
            $0.commandTimeout = .seconds(60)
        }) { _, client in
            try await client.ping()
            let holder = occupy(client, seconds: 30)
            try await eventually("BLPOP holds the connection") { client.poolStatistics.idle == 0 }
            let waiter = Task { try await client.get("k") }
            try await eventually("a caller queues") { client.poolStatistics.waiters == 1 }
            let start = ContinuousClock.now
            await client.shutdown()
            await expectRedisError(.shutdown) { try await waiter.value }
            await expectRedisError(.shutdown) { try await holder.value }
            #expect(ContinuousClock.now - start < .seconds(15), "the 30 s BLPOP did not hold up the shutdown (bound 15 s)")
            await expectRedisError(.shutdown, containing: "shut down") { try await client.ping() }
            #expect(client.poolStatistics.connections == 0, "exact")
            await client.shutdown()
        }
    }

    @Test("a cancelled waiter leaves the queue with .cancelled")
    func cancelledWaiter() async throws {
        try await RedisTestEnvironment.withServer(configure: {
            $0.poolSize = 1
            $0.commandTimeout = .seconds(5)
        }) { _, client in
            try await client.ping()
            let holder = occupy(client, seconds: 5)
            try await eventually("BLPOP holds the connection") { client.poolStatistics.idle == 0 }
            let waiter = Task { try await client.get("k") }
            try await eventually("a caller queues") { client.poolStatistics.waiters == 1 }
            waiter.cancel()
            await expectRedisError(.cancelled) { try await waiter.value }
            #expect(client.poolStatistics.waiters == 0, "exact")
            _ = try await holder.value
            try await client.ping()
        }
    }
}
