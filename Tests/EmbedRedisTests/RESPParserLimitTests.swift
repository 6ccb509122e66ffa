import EmbedRedis
import NIOCore
import Testing

@Suite("RESP parser: malformed and oversized input")
struct RESPParserLimitTests {
    /// Parses `wire` (whole, then byte by byte) and returns the error, if any.
    private func failure(_ wire: [UInt8], maxReplySize: Int = 1 << 20) -> RedisError? {
        var whole = RESPParser(maxReplySize: maxReplySize)
        var buffer = ByteBuffer(bytes: wire)
        var wholeError: RedisError?
        do {
            while try whole.next(&buffer) != nil {}
        } catch {
            wholeError = error
        }
        var stepwise = RESPParser(maxReplySize: maxReplySize)
        var pieces = ByteBuffer()
        var stepError: RedisError?
        do {
            for byte in wire {
                pieces.writeInteger(byte)
                while try stepwise.next(&pieces) != nil {}
            }
        } catch {
            stepError = error
        }
        #expect(wholeError?.code == stepError?.code, "one read and byte-by-byte reads agree")
        return wholeError
    }

    static let malformed: [(String, String)] = [
        ("unknown type byte", "?what\r\n"),
        ("letters in an integer", ":12a\r\n"),
        ("empty integer", ":\r\n"),
        ("integer overflow", ":9223372036854775808\r\n"),
        ("letters in a length", "$abc\r\nxyz\r\n"),
        ("negative length", "$-5\r\n"),
        ("blob not followed by CRLF", "$3\r\nabcd\r\n"),
        ("CR without LF", "+OK\rX"),
        ("bad boolean", "#x\r\n"),
        ("null with payload", "_x\r\n"),
        ("bad double", ",1.2.3\r\n"),
        ("bad big number", "(12x\r\n"),
        ("verbatim string without format", "=2\r\nab\r\n"),
        ("negative count", "*-2\r\n"),
        ("streamed string", "$?\r\n;4\r\nHell\r\n;0\r\n"),
        ("streamed aggregate", "*?\r\n:1\r\n.\r\n"),
        ("blob error -1", "!-1\r\n"),
        ("integer line longer than 64 bytes", ":" + String(repeating: "1", count: 80)),
    ]

    @Test("malformed input is a protocolError", arguments: malformed)
    func malformedInput(_ test: (String, String)) {
        let error = failure(Array(test.1.utf8))
        #expect(error?.code == .protocolError, "\(test.0): \(String(describing: error))")
    }

    @Test("a blob longer than the limit is refused from its header, before its bytes arrive")
    func oversizedBlob() {
        var parser = RESPParser(maxReplySize: 1024)
        var buffer = ByteBuffer(string: "$2000\r\n")
        #expect(throws: RedisError.self) { try parser.next(&buffer) }
        #expect(failure(Array("$536870912\r\n".utf8))?.code == .protocolError)
    }

    @Test("an element count that cannot fit the limit is refused at once")
    func oversizedCount() {
        #expect(failure(Array("*1000000000\r\n".utf8))?.code == .protocolError)
        #expect(failure(Array("%400000000\r\n".utf8))?.code == .protocolError)
    }

    @Test("a reply whose parts together pass the limit is refused")
    func oversizedTotal() {
        var wire = "*100\r\n"
        for _ in 0..<100 { wire += "$100\r\n" + String(repeating: "x", count: 100) + "\r\n" }
        #expect(failure(Array(wire.utf8), maxReplySize: 4096)?.code == .protocolError, "about 10.7 kB of reply against a 4 kB limit")
        #expect(failure(Array(wire.utf8), maxReplySize: 16384) == nil, "the same reply fits a 16 kB limit")
    }

    @Test("a simple string with no end is refused once it passes the limit")
    func endlessLine() {
        #expect(failure(Array(("+" + String(repeating: "a", count: 5000)).utf8), maxReplySize: 4096)?.code == .protocolError)
    }

    @Test("nesting deeper than the limit is refused (no recursion to overflow)")
    func deepNesting() {
        let wire = String(repeating: "*1\r\n", count: 100_000) + ":1\r\n"
        #expect(failure(Array(wire.utf8))?.code == .protocolError)
        var parser = RESPParser(maxDepth: 8)
        var buffer = ByteBuffer(string: String(repeating: "*1\r\n", count: 8) + ":1\r\n")
        #expect(throws: Never.self) { _ = try parser.next(&buffer) }
    }

    @Test("random bytes never trap: every outcome is a value, more-data or protocolError")
    func randomBytes() {
        var generator = SeededGenerator(seed: 0x5EED)
        let alphabet = Array("+-:$*%~>|_#,(!=?\r\n0123456789-abcft.".utf8)
        for _ in 0..<3000 {
            let length = Int.random(in: 1...40, using: &generator)
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            var parser = RESPParser(maxReplySize: 2048, maxDepth: 16)
            var buffer = ByteBuffer(bytes: bytes)
            do {
                while try parser.next(&buffer) != nil {}
            } catch {
                #expect(error.code == .protocolError)
            }
        }
    }
}

/// A small deterministic random generator (SplitMix64), so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
