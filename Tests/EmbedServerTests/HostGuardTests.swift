@testable import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// DNS rebinding: on loopback without a key, only loopback `Host` names are answered.
struct HostGuardTests {
    /// One raw request with `host` as its `Host`; the status line's code.
    static func status(port: Int, host: String) async throws -> String {
        let (text, _) = try await RawConnection.with(port: port) { connection, inbound in
            try await connection.send(Array("GET /health HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8))
            return try await connection.readUntilClosed(&inbound, within: .seconds(30))
        }
        return String(text.dropFirst("HTTP/1.1 ".count).prefix(3))
    }

    static func withLiveServer(_ configuration: ServerConfiguration, _ body: @Sendable @escaping (Int) async throws -> Void) async throws {
        let server = try EmbeddingServer(
            configuration: configuration, embedder: try await ServerHarness.hashingEmbedder(), logger: TestRuntime.logger)
        try await server.makeApplication().test(.live) { client in try await body(try #require(client.port)) }
    }

    @Test func loopbackWithoutAKeyAnswersOnlyLoopbackNames() async throws {
        try await Self.withLiveServer(ServerConfiguration(port: 0)) { port in
            for host in ["localhost:\(port)", "127.0.0.1:\(port)", "[::1]:\(port)", "LOCALHOST", "localhost."] {
                let code = try await Self.status(port: port, host: host)
                #expect(code == "200", "\(host)")
            }
            for host in ["evil.example:\(port)", "evil.example", "127.0.0.1.evil.example", "localhost.evil.example"] {
                let code = try await Self.status(port: port, host: host)
                #expect(code == "403", "\(host)")
            }
        }
    }

    @Test func theAllowlistAndStarAndAKey() async throws {
        try await Self.withLiveServer(ServerConfiguration(port: 0, allowedHosts: ["embed.internal"])) { port in
            let listed = try await Self.status(port: port, host: "embed.internal:\(port)")
            let loopback = try await Self.status(port: port, host: "localhost")
            #expect(listed == "200")
            #expect(loopback == "403", "the list replaces the default")
        }
        #expect(HostGuard(ServerConfiguration(allowedHosts: ["*"])) == nil)
        #expect(HostGuard(ServerConfiguration(apiKey: "k")) == nil, "with a key, a rebinding page cannot authenticate")
        #expect(HostGuard(ServerConfiguration(host: "0.0.0.0")) == nil, "not on loopback: behind a load balancer")
        #expect(HostGuard(ServerConfiguration(host: "127.0.0.1"))?.allowed.contains("localhost") == true)
    }

    @Test func theRefusalNamesTheSetting() async throws {
        try await ServerHarness.withServer(try await ServerHarness.hashingEmbedder(), configuration: .init(allowedHosts: ["only.this"])) { client, _ in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .forbidden)
            let error = try ServerHarness.error(response)
            #expect(error["code"] as? String == "host_not_allowed")
            let message = error["message"] as? String ?? ""
            #expect(message.contains("Host 'localhost'") && message.contains("server.allowed_hosts"), "\(message)")
        }
    }
}
