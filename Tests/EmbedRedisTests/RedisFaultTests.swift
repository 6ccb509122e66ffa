import EmbedRedis
import Logging
import NIOCore
import Testing

@Suite("Faults against a real redis-server", .enabled(if: RedisTestEnvironment.isRedisAvailable, RedisTestEnvironment.skipReason))
struct RedisFaultTests {
    @Test("maxmemory with noeviction: SET fails with serverError OOM; reads still work")
    func outOfMemory() async throws {
        try await RedisTestEnvironment.withServer(.init(maxMemory: "1mb")) { server, client in
            let value = ByteBuffer(repeating: 0x78, count: 64 * 1024)
            var oom: RedisError?
            for index in 0..<200 {
                do {
                    try await client.set("big:\(index)", value)
                } catch let error as RedisError {
                    oom = error
                    break
                }
            }
            #expect(oom?.code == .serverError("OOM"), "\(String(describing: oom))")
            #expect(oom?.message.contains("127.0.0.1:\(server.port): SET failed: OOM") == true)
            #expect(try await client.get("never-set") == nil)
            #expect(client.breakerState == .closed, "an error reply is no fault")
        }
    }

    @Test("a command past its timeout fails with .timeout; the next one gets its own reply")
    func timeout() async throws {
        let timeout = Duration.milliseconds(50)
        try await RedisTestEnvironment.withServer(configure: {
            $0.poolSize = 1
            $0.commandTimeout = timeout
        }) { server, client in
            let slow = Duration.seconds(5)
            try await client.set("first", ByteBuffer(string: "reply of the first GET"), timeout: slow)
            try await client.set("second", ByteBuffer(string: "reply of the second GET"), timeout: slow)
            let pauser = try RedisClient(configuration: RedisTestEnvironment.configuration(server), logger: RedisTestEnvironment.logger)
            // A long pause against a 50 ms timeout: a loaded 2-core CI host once took 2.3 s for a
            // 150 ms wait, so only a wide gap tells "timed out" from "waited for the pause".
            let pauseLength = Duration.milliseconds(10000)
            _ = try await pauser.send(RedisCommand("CLIENT", ["PAUSE", "10000", "ALL"]))
            let paused = ContinuousClock.now
            let start = ContinuousClock.now
            await expectRedisError(.timeout, containing: "GET got no reply within 50 ms") { try await client.get("first") }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(49), "failed after \(elapsed), not before the 50 ms timeout (1 ms tolerance)")
            #expect(elapsed < .seconds(7), "failed after \(elapsed): before the pause ended (bound 7 s; the pause lasts 10 s)")
            // The first GET's reply arrives when the pause ends, on the closed connection.
            try await Task.sleep(until: paused + pauseLength + .milliseconds(200))
            #expect(try await client.get("second", timeout: slow) == ByteBuffer(string: "reply of the second GET"))
            #expect(try await client.get("first", timeout: slow) == ByteBuffer(string: "reply of the first GET"))
            #expect(client.poolStatistics.connections == 1, "the timed-out connection was replaced, not added to (exact)")
            #expect(client.breakerState == .closed, "one timeout is under the threshold of 5")
            await pauser.shutdown()
        }
    }

    @Test("server killed: faults open the breaker; restarted: it half-opens and recovers by itself")
    func breakerRecovers() async throws {
        let recorder = LogRecorder()
        let coolDown = Duration.milliseconds(300)
        try await RedisTestEnvironment.withServer(configure: {
            $0.breakerFailureThreshold = 3
            $0.breakerCoolDown = coolDown
            $0.commandTimeout = .milliseconds(500)
            // Long, so that "failed at once" below is far from "waited for a connect".
            $0.connectTimeout = .seconds(10)
        }, logger: recorder.logger(level: .notice)) { server, client in
            try await client.set("k", ByteBuffer(string: "v"))
            try await server.killAndWait()
            var codes: [RedisError.Code] = []
            for _ in 0..<20 {
                do {
                    try await client.ping()
                } catch let error as RedisError {
                    codes.append(error.code)
                    if error.code == .circuitOpen { break }
                }
            }
            #expect(codes.last == .circuitOpen, "\(codes)")
            #expect(codes.dropLast().allSatisfy { $0 == .connectionFailed || $0 == .timeout }, "\(codes)")
            #expect(codes.count == 4, "3 faults open the breaker, the 4th call fails at once: \(codes) (exact)")
            #expect(client.breakerState == .open)

            let start = ContinuousClock.now
            await expectRedisError(.circuitOpen, containing: "circuit breaker open") { try await client.get("k") }
            let elapsed = ContinuousClock.now - start
            #expect(
                elapsed < .seconds(5),
                "an open breaker fails at once: \(elapsed) (bound 5 s, half the 10 s connect timeout it skipped)")

            try await server.restart()
            try await Task.sleep(for: coolDown + .milliseconds(50))
            var recovered = false
            for _ in 0..<50 where !recovered {
                do {
                    try await client.ping()
                    recovered = true
                } catch {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            #expect(recovered, "PING succeeded within 50 tries after the restart")
            #expect(client.breakerState == .closed)
            #expect(try await client.get("k") == nil, "the restarted server has no persistence")
            #expect(recorder.messages(containing: "circuit breaker open").count == 1, "exact")
            #expect(recorder.messages(containing: "circuit breaker half-open").count == 1, "exact")
            #expect(recorder.messages(containing: "circuit breaker closed").count == 1, "exact")
        }
    }

    @Test("a connection killed by the server is dropped and replaced")
    func killedConnectionReplaced() async throws {
        try await RedisTestEnvironment.withServer(configure: { $0.poolSize = 1 }) { server, client in
            try await client.set("k", ByteBuffer(string: "v"))
            let killer = try RedisClient(configuration: RedisTestEnvironment.configuration(server), logger: RedisTestEnvironment.logger)
            let killed = try await killer.send(RedisCommand("CLIENT", ["KILL", "TYPE", "normal", "SKIPME", "yes"]))
            #expect(killed == .integer(1), "the client's one connection was killed")
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await client.get("k") == ByteBuffer(string: "v"))
            #expect(client.poolStatistics.connections == 1, "exact")
            await killer.shutdown()
        }
    }
}
