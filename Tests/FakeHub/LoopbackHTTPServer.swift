public import Foundation
public import Hummingbird
import Logging

/// Runs a Hummingbird router on a free loopback port for the length of a test body.
public enum LoopbackHTTPServer {
    /// Starts `router` on 127.0.0.1 (port chosen by the system), runs `body` with the base URL
    /// (`http://127.0.0.1:PORT`), then stops the server.
    public static func run<T: Sendable>(
        _ router: Router<BasicRequestContext>, label: String, _ body: @escaping @Sendable (URL) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: label)
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0, let url = URL(string: "http://127.0.0.1:\(port)") else {
                group.cancelAll()
                throw FakeHubError(message: "\(label) did not start")
            }
            group.addTask { try await body(url) }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw FakeHubError(message: "\(label) stopped before the test finished")
        }
    }
}
