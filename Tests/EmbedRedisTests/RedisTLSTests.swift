import EmbedRedis
import Logging
import Foundation
import NIOCore
import Testing

/// A throwaway CA and a server certificate for the name `localhost` only (no IP address
/// entry, so that a connection by IP without a server name must fail verification), made
/// with the `openssl` command line tool in a temporary folder.
struct TestCertificates {
    let folder: URL
    var ca: URL { folder.appendingPathComponent("ca.pem") }
    var certificate: URL { folder.appendingPathComponent("server.pem") }
    var key: URL { folder.appendingPathComponent("server.key") }

    init() async throws {
        guard let openssl = RedisTestEnvironment.openssl else { throw ServerError("openssl is not installed") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("embed-redis-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let extensions = folder.appendingPathComponent("server.ext")
        try "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n".write(to: extensions, atomically: true, encoding: .utf8)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await Self.run(openssl, ["req", "-x509"] + ec + [
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=embed-redis test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ], in: folder)
        try await Self.run(openssl, ["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], in: folder)
        try await Self.run(openssl, [
            "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        ], in: folder)
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs openssl without blocking a thread while it runs.
    private static func run(_ executable: URL, _ arguments: [String], in folder: URL) async throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard status == 0 else {
            throw ServerError("openssl \(arguments.prefix(2).joined(separator: " ")) failed (\(status))")
        }
    }
}

@Suite("TLS against a real redis-server", .enabled(if: RedisTestEnvironment.isTLSAvailable, RedisTestEnvironment.tlsSkipReason))
struct RedisTLSTests {
    /// Runs `body` with a TLS-only server and its certificates.
    private func withTLSServer(_ body: (RedisServerProcess, TestCertificates) async throws -> Void) async throws {
        let certificates = try await TestCertificates()
        defer { certificates.remove() }
        let files = RedisServerProcess.Options.TLSFiles(certificate: certificates.certificate, key: certificates.key, ca: certificates.ca)
        let server = try await RedisServerProcess.start(.init(tls: files))
        defer { server.stop() }
        try await body(server, certificates)
    }

    @Test("verified TLS: the certificate's name as serverName, and from a rediss:// URL")
    func verified() async throws {
        try await withTLSServer { server, certificates in
            let tls = RedisConfiguration.TLS(caFile: certificates.ca.path, serverName: "localhost")
            let client = try RedisClient(configuration: RedisTestEnvironment.configuration(server) { $0.tls = tls }, logger: RedisTestEnvironment.logger)
            try await client.set("k", ByteBuffer(string: "over TLS"))
            #expect(try await client.get("k") == ByteBuffer(string: "over TLS"))
            #expect(try await client.protocolVersion() == .resp3)
            await client.shutdown()

            let base = RedisTestEnvironment.configuration(server) { $0.tls = tls }
            let url = try RedisConfiguration(url: "rediss://127.0.0.1:\(server.port)", base: base)
            #expect(url.tls?.caFile == certificates.ca.path)
            let byURL = try RedisClient(configuration: url, logger: RedisTestEnvironment.logger)
            try await byURL.ping()
            await byURL.shutdown()
        }
    }

    @Test("an unknown CA, a wrong name or an IP the certificate lacks fails; verification off connects")
    func refused() async throws {
        try await withTLSServer { server, certificates in
            let systemRoots = try RedisClient(
                configuration: RedisTestEnvironment.configuration(server) { $0.tls = RedisConfiguration.TLS() }, logger: RedisTestEnvironment.logger)
            await expectRedisError(.connectionFailed, containing: "127.0.0.1:\(server.port)") { try await systemRoots.ping() }
            await systemRoots.shutdown()

            let wrongName = try RedisClient(
                configuration: RedisTestEnvironment.configuration(server) {
                    $0.tls = RedisConfiguration.TLS(caFile: certificates.ca.path, serverName: "not-this-host.example")
                }, logger: RedisTestEnvironment.logger)
            await expectRedisError(.connectionFailed) { try await wrongName.ping() }
            await wrongName.shutdown()

            let byIP = try RedisClient(
                configuration: RedisTestEnvironment.configuration(server) { $0.tls = RedisConfiguration.TLS(caFile: certificates.ca.path) },
                logger: RedisTestEnvironment.logger)
            await expectRedisError(.connectionFailed, containing: "127.0.0.1:\(server.port)") { try await byIP.ping() }
            await byIP.shutdown()

            let recorder = LogRecorder()
            let unverified = try RedisClient(
                configuration: RedisTestEnvironment.configuration(server) { $0.tls = RedisConfiguration.TLS(verifyCertificate: false) },
                logger: recorder.logger(level: .warning))
            try await unverified.ping()
            #expect(recorder.messages(containing: "verification is off").count == 1, "exact")
            await unverified.shutdown()

            let plain = try RedisClient(configuration: RedisTestEnvironment.configuration(server) { $0.connectTimeout = .milliseconds(300) }, logger: RedisTestEnvironment.logger)
            await #expect(throws: RedisError.self, "plain TCP to a TLS port") { try await plain.ping() }
            await plain.shutdown()
        }
    }
}
