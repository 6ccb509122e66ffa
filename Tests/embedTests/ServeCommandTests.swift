import EmbedTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `embed serve` as a real process on a loopback port: routes over a socket, Prometheus
/// metrics, and a clean exit on SIGINT (SIGTERM: scripts/test_openai_client.py).
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct ServeCommandTests {
    @Test func configFilesAreNotSupportedYet() throws {
        let run = try CommandRunner.run(["serve", "--model", TestPaths.fixture("tiny-model").path, "--config", "x.yaml"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("not supported yet"), "\(run.stderr)")
    }

    @Test func servesAndStopsCleanlyOnSIGINT() async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let errURL = folder.appendingPathComponent("stderr")
        try Data().write(to: errURL)
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = [
            "serve", "--model", TestPaths.fixture("tiny-model").path, "--port", "0", "--log-level", "notice",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The log names the port chosen (bounded wait).
        var port: Int?
        for _ in 0..<600 where port == nil {
            let log = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
            if let range = log.range(of: "listening on http://127.0.0.1:") {
                port = Int(log[range.upperBound...].prefix { $0.isNumber })
            }
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let base = "http://127.0.0.1:\(try #require(port, "the server logs its address"))"

        var healthy = false
        for _ in 0..<600 where !healthy {
            healthy = (try? await Self.request("\(base)/health"))?.status == 200
            if !healthy { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(healthy, "/health becomes 200 once the model is loaded")

        let embedded = try await Self.request("\(base)/v1/embeddings", body: #"{"input": ["hello world", "foo"]}"#)
        #expect(embedded.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: embedded.body) as? [String: Any])
        #expect((json["data"] as? [[String: Any]])?.count == 2)

        let bad = try await Self.request("\(base)/v1/embeddings", body: #"{"input": 1}"#)
        #expect(bad.status == 400)

        let metrics = String(decoding: try await Self.request("\(base)/metrics").body, as: UTF8.self)
        #expect(metrics.contains(#"swift_embed_http_requests_total{route="/v1/embeddings",method="POST",status="200"} 1"#))
        #expect(metrics.contains(#"status="400"} 1"#))
        #expect(metrics.contains("swift_embed_batch_size_bucket"))
        #expect(metrics.contains("swift_embed_model_load_seconds"))

        process.interrupt()  // SIGINT: graceful shutdown
        for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "the server stops after SIGINT")
        #expect(process.terminationStatus == 0, "a graceful shutdown exits 0")
    }

    static func request(_ url: String, body: String? = nil) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: try #require(URL(string: url)))
        if let body {
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
