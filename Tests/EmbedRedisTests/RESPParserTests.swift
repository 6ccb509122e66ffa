import EmbedRedis
import NIOCore
import Testing

/// One wire form and the value it must parse to.
struct ParseCase: Sendable, CustomTestStringConvertible {
    var name: String
    var wire: String
    var value: RESPValue

    var testDescription: String { name }

    static func blob(_ text: String) -> RESPValue { .blobString(ByteBuffer(string: text)) }

    /// Every RESP3 type.
    static let resp3: [ParseCase] = [
        ParseCase(name: "simple string", wire: "+OK\r\n", value: .simpleString("OK")),
        ParseCase(name: "empty simple string", wire: "+\r\n", value: .simpleString("")),
        ParseCase(name: "simple error", wire: "-ERR unknown command 'FOO'\r\n", value: .error("ERR unknown command 'FOO'")),
        ParseCase(name: "blob string", wire: "$5\r\nhello\r\n", value: blob("hello")),
        ParseCase(name: "blob string with CRLF inside", wire: "$4\r\na\r\nb\r\n", value: blob("a\r\nb")),
        ParseCase(name: "empty blob string", wire: "$0\r\n\r\n", value: blob("")),
        ParseCase(name: "blob error", wire: "!21\r\nSYNTAX invalid syntax\r\n", value: .error("SYNTAX invalid syntax")),
        ParseCase(name: "integer", wire: ":1234\r\n", value: .integer(1234)),
        ParseCase(name: "negative integer", wire: ":-42\r\n", value: .integer(-42)),
        ParseCase(name: "int64 min", wire: ":-9223372036854775808\r\n", value: .integer(.min)),
        ParseCase(name: "double", wire: ",3.25\r\n", value: .double(3.25)),
        ParseCase(name: "double with exponent", wire: ",1.5e3\r\n", value: .double(1500)),
        ParseCase(name: "infinity", wire: ",inf\r\n", value: .double(.infinity)),
        ParseCase(name: "negative infinity", wire: ",-inf\r\n", value: .double(-.infinity)),
        ParseCase(name: "true", wire: "#t\r\n", value: .boolean(true)),
        ParseCase(name: "false", wire: "#f\r\n", value: .boolean(false)),
        ParseCase(name: "null", wire: "_\r\n", value: .null),
        ParseCase(name: "big number", wire: "(3492890328409238509324850943850943825024385\r\n", value: .bigNumber("3492890328409238509324850943850943825024385")),
        ParseCase(name: "negative big number", wire: "(-12345678901234567890123\r\n", value: .bigNumber("-12345678901234567890123")),
        ParseCase(name: "verbatim string", wire: "=15\r\ntxt:Some string\r\n", value: blob("Some string")),
        ParseCase(name: "array", wire: "*2\r\n:1\r\n$1\r\nx\r\n", value: .array([.integer(1), blob("x")])),
        ParseCase(name: "empty array", wire: "*0\r\n", value: .array([])),
        ParseCase(
            name: "map", wire: "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
            value: .map([
                RESPMapEntry(key: .simpleString("first"), value: .integer(1)),
                RESPMapEntry(key: .simpleString("second"), value: .integer(2)),
            ])),
        ParseCase(name: "empty map", wire: "%0\r\n", value: .map([])),
        ParseCase(name: "set", wire: "~3\r\n+a\r\n+b\r\n#t\r\n", value: .set([.simpleString("a"), .simpleString("b"), .boolean(true)])),
        ParseCase(
            name: "push", wire: ">2\r\n+invalidate\r\n*1\r\n$3\r\nkey\r\n",
            value: .push([.simpleString("invalidate"), .array([blob("key")])])),
        ParseCase(
            name: "attribute before a value is dropped", wire: "|1\r\n+ttl\r\n:3600\r\n$3\r\nval\r\n", value: blob("val")),
        ParseCase(
            name: "attribute inside an array", wire: "*2\r\n:1\r\n|1\r\n+key-popularity\r\n,0.19\r\n:2\r\n",
            value: .array([.integer(1), .integer(2)])),
        ParseCase(
            name: "nested aggregates",
            wire: "*3\r\n%1\r\n+k\r\n~2\r\n:1\r\n*2\r\n_\r\n,0.5\r\n*0\r\n>1\r\n#f\r\n",
            value: .array([
                .map([RESPMapEntry(key: .simpleString("k"), value: .set([.integer(1), .array([.null, .double(0.5)])]))]),
                .array([]),
                .push([.boolean(false)]),
            ])),
    ]

    /// Every RESP2 type, null bulk string and null array included.
    static let resp2: [ParseCase] = [
        ParseCase(name: "RESP2 status", wire: "+PONG\r\n", value: .simpleString("PONG")),
        ParseCase(name: "RESP2 error", wire: "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                  value: .error("WRONGTYPE Operation against a key holding the wrong kind of value")),
        ParseCase(name: "RESP2 integer", wire: ":0\r\n", value: .integer(0)),
        ParseCase(name: "RESP2 bulk string", wire: "$3\r\nfoo\r\n", value: blob("foo")),
        ParseCase(name: "RESP2 null bulk string", wire: "$-1\r\n", value: .null),
        ParseCase(name: "RESP2 null array", wire: "*-1\r\n", value: .null),
        ParseCase(name: "RESP2 multi-bulk with a null", wire: "*3\r\n$1\r\na\r\n$-1\r\n$1\r\nc\r\n", value: .array([blob("a"), .null, blob("c")])),
        ParseCase(name: "RESP2 nested multi-bulk", wire: "*2\r\n*1\r\n:1\r\n*-1\r\n", value: .array([.array([.integer(1)]), .null])),
    ]

    static let all = resp3 + resp2
}

@Suite("RESP parser")
struct RESPParserTests {
    @Test("parses each type in one read", arguments: ParseCase.all)
    func wholeReads(_ test: ParseCase) throws {
        var parser = RESPParser()
        var buffer = ByteBuffer(string: test.wire)
        let value = try parser.next(&buffer)
        #expect(value == test.value)
        #expect(buffer.readableBytes == 0, "every byte consumed (exact)")
    }

    @Test("parses each type split at every byte boundary", arguments: ParseCase.all)
    func everySplit(_ test: ParseCase) throws {
        let bytes = Array(test.wire.utf8)
        for split in 0...bytes.count {
            var parser = RESPParser()
            var buffer = ByteBuffer(bytes: bytes[..<split])
            let early = try parser.next(&buffer)
            if split < bytes.count {
                #expect(early == nil, "\(test.name): no value after \(split) of \(bytes.count) bytes")
                buffer.writeBytes(bytes[split...])
                #expect(try parser.next(&buffer) == test.value, "\(test.name): split at \(split)")
            } else {
                #expect(early == test.value)
            }
            #expect(buffer.readableBytes == 0, "exact")
        }
    }

    @Test("parses a stream of every value fed one byte at a time")
    func byteByByte() throws {
        let wire = ParseCase.all.map(\.wire).joined()
        var parser = RESPParser()
        var buffer = ByteBuffer()
        var values: [RESPValue] = []
        for byte in wire.utf8 {
            buffer.writeInteger(byte)
            while let value = try parser.next(&buffer) { values.append(value) }
        }
        #expect(values == ParseCase.all.map(\.value))
    }

    @Test("several replies in one read come out one by one, the rest stays")
    func severalInOneRead() throws {
        var parser = RESPParser()
        var buffer = ByteBuffer(string: "+OK\r\n:1\r\n$2\r\nab\r\n$5\r\nhel")
        #expect(try parser.next(&buffer) == .simpleString("OK"))
        #expect(try parser.next(&buffer) == .integer(1))
        #expect(try parser.next(&buffer) == ParseCase.blob("ab"))
        #expect(try parser.next(&buffer) == nil)
        buffer.writeString("lo\r\n")
        #expect(try parser.next(&buffer) == ParseCase.blob("hello"))
    }

    @Test("NaN parses as a NaN double")
    func notANumber() throws {
        var parser = RESPParser()
        var buffer = ByteBuffer(string: ",nan\r\n")
        guard case .double(let value)? = try parser.next(&buffer) else {
            Issue.record("not a double")
            return
        }
        #expect(value.isNaN)
    }

    @Test("a large aggregate of blobs split into chunks parses in one pass")
    func chunkedLargeReply() throws {
        let value = ByteBuffer(repeating: 0x41, count: 1536)
        var wire = ByteBuffer(string: "*1000\r\n")
        for _ in 0..<1000 {
            wire.writeString("$1536\r\n")
            wire.writeImmutableBuffer(value)
            wire.writeString("\r\n")
        }
        var parser = RESPParser()
        var buffer = ByteBuffer()
        var result: RESPValue?
        while wire.readableBytes > 0 {
            guard let chunk = wire.readSlice(length: min(4093, wire.readableBytes)) else { break }
            buffer.writeImmutableBuffer(chunk)
            if let parsed = try parser.next(&buffer) { result = parsed }
        }
        #expect(result == .array(Array(repeating: .blobString(value), count: 1000)))
    }
}
