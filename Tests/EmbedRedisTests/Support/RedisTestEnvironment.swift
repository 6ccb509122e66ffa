import EmbedRedis
import Foundation
import Logging
import Testing

/// What the tests that need a real `redis-server` (or `openssl`) can find on this machine.
///
/// A plain `swift test` skips them, with the reason, when `redis-server` is not installed;
/// with `EMBED_REQUIRE_RUNTIME=1` (set by `make test`) they run anyway and fail.
enum RedisTestEnvironment {
    /// Whether tests must not be skipped for want of set-up (`EMBED_REQUIRE_RUNTIME=1`).
    static let isRequired = ProcessInfo.processInfo.environment["EMBED_REQUIRE_RUNTIME"] == "1"

    /// The `redis-server` executable: `EMBED_REDIS_SERVER` when set, else the one on `PATH`
    /// (or in `/usr/bin`, `/usr/sbin`, `/usr/local/bin`).
    static let redisServer: URL? = {
        if let custom = ProcessInfo.processInfo.environment["EMBED_REDIS_SERVER"], !custom.isEmpty {
            return FileManager.default.isExecutableFile(atPath: custom) ? URL(fileURLWithPath: custom) : nil
        }
        return executable("redis-server")
    }()

    /// The `openssl` executable (the TLS tests make their certificates with it).
    static let openssl: URL? = executable("openssl")

    /// Whether the tests that need a real server should run.
    static var isRedisAvailable: Bool { isRequired || redisServer != nil }

    /// Whether the TLS tests should run.
    static var isTLSAvailable: Bool { isRequired || (redisServer != nil && openssl != nil) }

    /// Why a server test is skipped.
    static let skipReason: Comment = "redis-server is not installed (apt-get install -y redis-server); EMBED_REQUIRE_RUNTIME=1 turns this skip into a failure"

    /// Why a TLS test is skipped.
    static let tlsSkipReason: Comment = "redis-server or openssl is not installed; EMBED_REQUIRE_RUNTIME=1 turns this skip into a failure"

    /// A logger for tests: warnings and above, to stderr.
    static let logger: Logger = {
        var logger = Logger(label: "embed-redis.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// A configuration for `server` with timeouts generous enough for a loaded host (tests
    /// of timeouts set their own).
    static func configuration(_ server: RedisServerProcess, _ change: (inout RedisConfiguration) -> Void = { _ in }) -> RedisConfiguration {
        var configuration = RedisConfiguration(
            host: "127.0.0.1", port: server.port, commandTimeout: .seconds(5), connectTimeout: .seconds(5))
        change(&configuration)
        return configuration
    }

    /// Runs `body` with a new server and a client for it; both are stopped afterwards,
    /// whatever `body` does.
    static func withServer<T>(
        _ options: RedisServerProcess.Options = .init(),
        configure: (inout RedisConfiguration) -> Void = { _ in },
        logger: Logger = RedisTestEnvironment.logger,
        _ body: (RedisServerProcess, RedisClient) async throws -> T
    ) async throws -> T {
        let server = try await RedisServerProcess.start(options)
        defer { server.stop() }
        let client = try RedisClient(configuration: configuration(server, configure), logger: logger)
        do {
            let result = try await body(server, client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private static func executable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/usr/local/bin"]
        return folders.lazy
            .map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
