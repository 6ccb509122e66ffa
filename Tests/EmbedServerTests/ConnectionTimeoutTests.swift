import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Clients that are slow, stall, or send a body the server does not want, over real sockets:
/// each connection ends within the configured timeouts, and an early answer reaches a client
/// that sends `Connection: close` (it used to wait for a close that never came).
///
/// The timeouts are 1 s; "closed" is awaited for up to 30 s, so a loaded CI host cannot make
/// a working server fail, and a server without the timeouts (which keeps them open for good)
/// still does.
struct ConnectionTimeoutTests {
    // Lingering keeps its default (30 s): under a loaded CI host, sending 8 MiB took over 1 s.
    static let timeouts = ServerTimeouts(idle: .seconds(1), body: .seconds(1))
    static let wait = Duration.seconds(30)

    static func withLiveServer(
        timeouts: ServerTimeouts = timeouts, _ body: @Sendable @escaping (Int) async throws -> Void
    ) async throws {
        let embedder = try await ServerHarness.hashingEmbedder()
        let server = try EmbeddingServer(
            configuration: ServerConfiguration(port: 0, timeouts: timeouts), embedder: embedder, logger: TestRuntime.logger)
        try await server.makeApplication().test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    @Test func idleAndSlowHeaderConnectionsAreClosed() async throws {
        try await Self.withLiveServer { port in
            let idle = try await RawConnection.with(port: port) { connection, inbound in
                try await connection.readUntilClosed(&inbound, within: Self.wait).closed
            }
            #expect(idle, "an idle connection is closed")

            let slow = try await RawConnection.with(port: port) { connection, inbound in
                let sender = Task {
                    let bytes = Array("POST /v1/embeddings HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".utf8)
                    for byte in bytes + Array(repeating: UInt8(ascii: "a"), count: 200) {
                        try await connection.send([byte])
                        try await Task.sleep(for: .milliseconds(200))
                    }
                }
                defer { sender.cancel() }
                return try await connection.readUntilClosed(&inbound, within: Self.wait).closed
            }
            #expect(slow, "headers sent a byte at a time are cut off")
        }
    }

    @Test func aStalledBodyIsCutOff() async throws {
        try await Self.withLiveServer { port in
            let closed = try await RawConnection.with(port: port) { connection, inbound in
                try await connection.send(Array("POST /v1/embeddings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"input\":".utf8))
                return try await connection.readUntilClosed(&inbound, within: Self.wait).closed
            }
            #expect(closed, "a body that stops is cut off")
        }
    }

    @Test(arguments: ["/v1/embeddings", "/no-such-route"])
    func anEarlyAnswerWithConnectionCloseReachesTheClient(_ path: String) async throws {
        // The defaults (60 s): a 1 s idle timeout could end the request on a loaded host
        // before its answer, which is not what this test is about.
        try await Self.withLiveServer(timeouts: ServerTimeouts()) { port in
            let size = 8 << 20
            let (text, closed) = try await RawConnection.with(port: port) { connection, inbound in
                try await connection.send(Array("POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: \(size)\r\n\r\n".utf8))
                // As Python's http.client does: the whole body first, then read the answer.
                let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 1 << 16)
                let sent = try await connection.sendAll(chunk, times: size / chunk.count, within: Self.wait)
                #expect(sent, "the server read (and dropped) the whole body")
                return try await connection.readUntilClosed(&inbound, within: Self.wait)
            }
            let status = path == "/no-such-route" ? "404" : "413"
            #expect(text.hasPrefix("HTTP/1.1 \(status)"), "\(text.prefix(200))")
            #expect(text.contains("\"error\""), "the JSON error body")
            #expect(closed, "and the connection closes")
        }
    }
}

/// A TCP connection that sends bytes as given and reads until the server closes.
final class RawConnection: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any Channel
    /// Set when ``readUntilClosed(_:within:)`` gave up and closed the connection itself.
    private let gaveUp = Mutex(false)

    private init(outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, channel: any Channel) {
        self.outbound = outbound
        self.channel = channel
    }

    /// Connects to the server on `port` and runs `body` with the connection.
    static func with<Value: Sendable>(
        port: Int, _ body: (RawConnection, inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) async throws -> Value
    ) async throws -> Value {
        // As curl and Python do, keep sending after the server shuts its side (it answered).
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            return try await body(RawConnection(outbound: outbound, channel: channel.channel), &iterator)
        }
    }

    func send(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Sends `chunk` `times` times; `false` when that did not finish within `limit` (a server
    /// that stopped reading), or the server closed first.
    func sendAll(_ chunk: [UInt8], times: Int, within limit: Duration) async throws -> Bool {
        let timer = Task { [self] in
            try await Task.sleep(for: limit)
            try? await channel.close()
        }
        defer { timer.cancel() }
        do {
            for _ in 0..<times { try await send(chunk) }
            return true
        } catch {
            return false
        }
    }

    /// What arrived, and whether the server closed the connection within `limit` (if not,
    /// this closes it).
    func readUntilClosed(
        _ iterator: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, within limit: Duration
    ) async throws -> (text: String, closed: Bool) {
        let timer = Task { [self] in
            try await Task.sleep(for: limit)
            gaveUp.withLock { $0 = true }
            try? await channel.close()
        }
        defer { timer.cancel() }
        var text = ""
        do {
            while let buffer = try await iterator.next() { text += String(buffer: buffer) }
        } catch {
            // A reset after the answer also ends the connection.
        }
        return (text, !gaveUp.withLock { $0 })
    }
}
