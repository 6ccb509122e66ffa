import EmbedServer
import Foundation
import Testing

/// Requests NIO's HTTP parser refuses get a 400 with the JSON error body (not an empty one),
/// saying what was wrong, and the connection is closed; a malformed chunk size is a 400, not
/// a 413.
struct ParserErrorTests {
    static let cases: [(String, [UInt8], String)] = [
        ("an invalid Content-Length", Array("POST /embed HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n".utf8), "Content-Length"),
        ("two Content-Lengths", Array("POST /embed HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}".utf8), "Content-Length"),
        ("a 100 KB header", Array("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n".utf8), "larger than the server accepts"),
        ("a 1 MB URL", Array("GET /\(String(repeating: "a", count: 1 << 20)) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8), "larger than the server accepts"),
        ("an unknown method", Array("FOO /health HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8), "method"),
        ("a malformed chunk size", Array("POST /embed HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".utf8), "chunk size"),
    ]

    @Test func parserErrorsGetTheJSONErrorBody() async throws {
        try await ConnectionTimeoutTests.withLiveServer(timeouts: .init()) { port in
            for (name, request, phrase) in Self.cases {
                let (text, closed) = try await RawConnection.with(port: port) { connection, inbound in
                    try await connection.send(request)
                    return try await connection.readUntilClosed(&inbound, within: .seconds(30))
                }
                #expect(text.hasPrefix("HTTP/1.1 400 "), "\(name): \(text.prefix(80))")
                let body = String(text.split(separator: "\r\n\r\n", maxSplits: 1).last ?? "")
                let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
                let error = object?["error"] as? [String: Any]
                #expect(error?["code"] as? String == "invalid_request", "\(name): \(body.prefix(200))")
                #expect((error?["message"] as? String)?.contains(phrase) == true, "\(name): \(body.prefix(200))")
                #expect(closed, "\(name): the connection is closed")
            }
        }
    }
}
