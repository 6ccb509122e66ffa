import EmbedTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `embed serve` as a real process on a loopback port: routes over a socket, Prometheus
/// metrics, and a clean exit on SIGINT (SIGTERM: scripts/test_openai_client.py).
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct ServeCommandTests {
    @Test func badServerSettingsAreRefusedByName() async throws {
        let port = try await CommandRunner.runAsync(["serve", "--model", TestPaths.fixture("tiny-model").path, "--port", "70000"])
        #expect(port.status != 0)
        #expect(port.stderr.contains("invalid value '70000' for server.port (from --port): expected an integer from 0 to 65535"), "\(port.stderr)")
        let ratio = try await CommandRunner.runAsync(
            ["serve", "--model", TestPaths.fixture("tiny-model").path], environment: ["EMBED_SERVER_MAX_PADDING_RATIO": "0.5"])
        #expect(ratio.status != 0)
        #expect(ratio.stderr.contains("for server.max_padding_ratio (from EMBED_SERVER_MAX_PADDING_RATIO): expected a number ≥ 1"), "\(ratio.stderr)")
    }

    /// A port in use is reported by address before the model is loaded.
    @Test func aPortInUseIsNamedBeforeTheModelLoads() async throws {
        let holder = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(holder.localAddress?.port)
        let result = try await CommandRunner.runAsync(
            ["serve", "--model", TestPaths.fixture("tiny-model").path, "--host", "127.0.0.1", "--port", "\(port)", "--log-level", "info"])
        try await holder.close()
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot listen on 127.0.0.1:\(port): the address is already in use"), "\(result.stderr)")
        #expect(!result.stderr.contains("model loaded"), "refused before loading: \(result.stderr)")
    }

    @Test func servesAndStopsCleanlyOnSIGINT() async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Model, port and API key from a configuration file.
        let config = folder.appendingPathComponent("embed.yaml")
        try Data("model: \(TestPaths.fixture("tiny-model").path)\nserver:\n  port: 0\n  api_key: sk-test\n".utf8).write(to: config)
        let server = try ServerProcess(["serve", "--config", config.path, "--log-level", "notice"], in: folder)
        let process = server.process
        // The log names the port chosen (bounded wait).
        let port = try await server.port()
        let base = "http://127.0.0.1:\(try #require(port, "the server logs its address"))"

        var healthy = false
        for _ in 0..<600 where !healthy {
            healthy = (try? await Self.request("\(base)/health"))?.status == 200
            if !healthy { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(healthy, "/health becomes 200 once the model is loaded")

        let refused = try await Self.request("\(base)/v1/embeddings", body: #"{"input": "x"}"#, key: nil)
        #expect(refused.status == 401, "the API key from the configuration file is required")
        let embedded = try await Self.request("\(base)/v1/embeddings", body: #"{"input": ["hello world", "foo"]}"#)
        #expect(embedded.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: embedded.body) as? [String: Any])
        #expect((json["data"] as? [[String: Any]])?.count == 2)

        let bad = try await Self.request("\(base)/v1/embeddings", body: #"{"input": 1}"#)
        #expect(bad.status == 400)

        let metrics = String(decoding: try await Self.request("\(base)/metrics").body, as: UTF8.self)
        #expect(metrics.contains(#"swift_embed_http_requests_total{route="/v1/embeddings",method="POST",status="200"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"status="400"} 1"#))
        #expect(metrics.contains("swift_embed_batch_size_bucket"))
        #expect(metrics.contains("swift_embed_model_load_seconds"))

        process.interrupt()  // SIGINT: graceful shutdown
        for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "the server stops after SIGINT")
        #expect(process.terminationStatus == 0, "a graceful shutdown exits 0")
    }

    static func request(_ url: String, body: String? = nil, key: String? = "sk-test") async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: try #require(URL(string: url)))
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
