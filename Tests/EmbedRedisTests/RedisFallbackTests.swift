import EmbedRedis
import Logging
import NIOCore
import Testing

@Suite("RESP2 fallback and broken servers (fake server on NIO)")
struct RedisFallbackTests {
    @Test("HELLO refused: RESP2 is used and the fallback is logged; null bulk strings work")
    func fallback() async throws {
        let fake = try await FakeRedisServer.start(mode: .resp2Only)
        let recorder = LogRecorder()
        let client = try RedisClient(configuration: RedisConfiguration(port: fake.port, commandTimeout: .seconds(5)), logger: recorder.logger(level: .warning))
        #expect(try await client.protocolVersion() == .resp2)
        #expect(try await client.get("missing") == nil)
        try await client.set("a", ByteBuffer(string: "1"))
        #expect(try await client.mget(["a", "b"]) == [ByteBuffer(string: "1"), nil])
        #expect(recorder.messages(containing: "falling back to RESP2").count == 1, "one connection, one fallback line (exact)")
        #expect(fake.commands.first == ["HELLO", "3"])
        await client.shutdown()
        await fake.stop()
    }

    @Test("RESP2 AUTH with a password alone, and with user and password; SELECT follows")
    func fallbackAuth() async throws {
        let fake = try await FakeRedisServer.start(mode: .resp2Only, password: "pw", username: "bob")
        let passwordOnly = try RedisClient(configuration: RedisConfiguration(port: fake.port, password: "pw", commandTimeout: .seconds(5)), logger: RedisTestEnvironment.logger)
        await expectRedisError(.serverError("WRONGPASS"), containing: "AUTH failed") { try await passwordOnly.ping() }
        await passwordOnly.shutdown()

        let user = try RedisClient(
            configuration: RedisConfiguration(port: fake.port, username: "bob", password: "pw", database: 3, commandTimeout: .seconds(5)),
            logger: RedisTestEnvironment.logger)
        try await user.ping()
        await user.shutdown()
        #expect(fake.commands.contains(["HELLO", "3", "AUTH", "bob", "pw"]))
        #expect(fake.commands.contains(["AUTH", "bob", "pw"]))
        #expect(fake.commands.contains(["SELECT", "3"]))
        #expect(fake.commands.contains(["AUTH", "pw"]), "password alone: AUTH pw")
        await fake.stop()

        let defaultUser = try await FakeRedisServer.start(mode: .resp2Only, password: "pw")
        let client = try RedisClient(configuration: RedisConfiguration(port: defaultUser.port, password: "pw", commandTimeout: .seconds(5)), logger: RedisTestEnvironment.logger)
        try await client.ping()
        #expect(defaultUser.commands.prefix(2) == [["HELLO", "3", "AUTH", "default", "pw"], ["AUTH", "pw"]])
        await client.shutdown()
        await defaultUser.stop()
    }

    @Test("push frames between replies are skipped")
    func pushSkipped() async throws {
        let fake = try await FakeRedisServer.start(mode: .resp3)
        let client = try RedisClient(configuration: RedisConfiguration(port: fake.port, commandTimeout: .seconds(5)), logger: RedisTestEnvironment.logger)
        #expect(try await client.protocolVersion() == .resp3)
        #expect(try await client.send(RedisCommand("PUSHY")) == .simpleString("OK"))
        #expect(try await client.get("missing") == nil)
        await client.shutdown()
        await fake.stop()
    }

    @Test("garbage and oversized replies are protocolErrors; the connection is replaced")
    func brokenReplies() async throws {
        let fake = try await FakeRedisServer.start(mode: .resp3)
        let client = try RedisClient(
            configuration: RedisConfiguration(port: fake.port, commandTimeout: .seconds(5), maxReplySize: 1 << 20),
            logger: RedisTestEnvironment.logger)
        await expectRedisError(.protocolError, containing: "unknown type byte") { try await client.send(RedisCommand("GARBAGE")) }
        try await client.set("k", ByteBuffer(string: "v"))
        #expect(try await client.get("k") == ByteBuffer(string: "v"))
        await expectRedisError(.protocolError, containing: "1048576-byte limit") { try await client.send(RedisCommand("HUGE")) }
        #expect(try await client.get("k") == ByteBuffer(string: "v"))
        #expect(client.poolStatistics.connections == 1, "broken connections were dropped, one replacement open (exact)")
        await client.shutdown()
        await fake.stop()
    }

    @Test("a reply nobody waits for closes the connection; the next command gets its own reply")
    func unsolicitedReply() async throws {
        let fake = try await FakeRedisServer.start(mode: .resp3)
        let client = try RedisClient(configuration: RedisConfiguration(port: fake.port, poolSize: 1, commandTimeout: .seconds(5)), logger: RedisTestEnvironment.logger)
        try await client.set("k", ByteBuffer(string: "own"))
        #expect(try await client.send(RedisCommand("EXTRA")) == .simpleString("OK"))
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await client.get("k") == ByteBuffer(string: "own"), "not the stray +OK")
        await client.shutdown()
        await fake.stop()
    }

    @Test("nothing listening: connectionFailed naming the address")
    func nothingListening() async throws {
        let fake = try await FakeRedisServer.start(mode: .resp3)
        let port = fake.port
        await fake.stop()
        let client = try RedisClient(configuration: RedisConfiguration(port: port), logger: RedisTestEnvironment.logger)
        await expectRedisError(.connectionFailed, containing: "127.0.0.1:\(port): could not connect") { try await client.ping() }
        await client.shutdown()
    }
}
