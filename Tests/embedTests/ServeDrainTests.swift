import EmbedTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// SIGTERM while a client holds a half-sent request: the process exits once the drain
/// deadline has passed, not when the client goes away (it used to wait for the client).
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct ServeDrainTests {
    @Test func aHalfSentBodyDoesNotHoldTheShutdownPastTheDrain() async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A 2 s drain; the body timeout (60 s) would end the connection much later.
        let server = try ServerProcess(
            ["serve", "--model", TestPaths.fixture("tiny-model").path, "--port", "0", "--runtime", "onnxruntime", "--log-level", "notice"],
            environment: ["EMBED_SERVER_DRAIN_TIMEOUT": "2"], in: folder)
        let process = server.process
        let port = try await server.port()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: try #require(port, "the server logs its address")).get()
        let head = "POST /v1/embeddings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"input\":"
        try await channel.writeAndFlush(ByteBuffer(string: head))
        try await Task.sleep(for: .milliseconds(500))

        let start = ContinuousClock.now
        process.terminate()  // SIGTERM
        for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        let waited = start.duration(to: .now)
        try? await channel.close()
        #expect(!process.isRunning, "the server exits")
        // Bound 30 s: well past the 2 s drain, well before the 60 s body timeout.
        #expect(waited < .seconds(30), "exited after \(waited) with a half-sent body open (drain 2 s)")
        #expect(server.logText.contains("shutting down"), "\(server.logText.suffix(600))")
    }
}
