import EmbedRedis
import NIOCore
import Testing

@Suite("Authentication", .enabled(if: RedisTestEnvironment.isRedisAvailable, RedisTestEnvironment.skipReason))
struct RedisAuthTests {
    @Test("requirepass: the right password works, a wrong one or none is a clear error")
    func password() async throws {
        let server = try await RedisServerProcess.start(.init(password: "s3cret"))
        defer { server.stop() }
        let logger = RedisTestEnvironment.logger
        let good = try RedisClient(configuration: RedisTestEnvironment.configuration(server) { $0.password = "s3cret" }, logger: logger)
        try await good.set("k", ByteBuffer(string: "v"))
        #expect(try await good.get("k") == ByteBuffer(string: "v"))
        await good.shutdown()

        let wrong = try RedisClient(configuration: RedisTestEnvironment.configuration(server) { $0.password = "nope" }, logger: logger)
        await expectRedisError(.serverError("WRONGPASS"), containing: "127.0.0.1:\(server.port): HELLO failed") { try await wrong.ping() }
        #expect(wrong.breakerState == .closed, "a refused password is no server fault")
        await wrong.shutdown()

        let none = try RedisClient(configuration: RedisTestEnvironment.configuration(server), logger: logger)
        await expectRedisError(.serverError("NOAUTH")) { try await none.get("k") }
        await none.shutdown()
    }

    @Test("ACL user and password (also from a URL); a wrong password is WRONGPASS")
    func aclUser() async throws {
        let server = try await RedisServerProcess.start(.init(users: [(name: "alice", password: "wonderland")]))
        defer { server.stop() }
        let base = RedisTestEnvironment.configuration(server)
        let url = try RedisConfiguration(url: "redis://alice:wonderland@127.0.0.1:\(server.port)/0", base: base)
        let client = try RedisClient(configuration: url, logger: RedisTestEnvironment.logger)
        try await client.set("k", ByteBuffer(string: "v"))
        #expect(try await client.send(RedisCommand("ACL", ["WHOAMI"])).string == "alice")
        await client.shutdown()

        let wrong = try RedisClient(
            configuration: RedisTestEnvironment.configuration(server) {
                $0.username = "alice"
                $0.password = "looking-glass"
            }, logger: RedisTestEnvironment.logger)
        await expectRedisError(.serverError("WRONGPASS"), containing: "invalid username-password pair") { try await wrong.ping() }
        await wrong.shutdown()

        #expect(throws: RedisError.self, "a user without a password is refused up front") {
            try RedisClient(configuration: RedisConfiguration(username: "alice"), logger: RedisTestEnvironment.logger)
        }
    }
}
