import EmbedRedis
import NIOCore
import Testing

@Suite("Commands")
struct RedisCommandTests {
    private func wire(_ command: RedisCommand) -> String {
        var buffer = ByteBuffer()
        command.encode(into: &buffer)
        #expect(buffer.readableBytes == command.encodedSize, "encodedSize matches what is written")
        return String(buffer: buffer)
    }

    @Test("a command is a RESP array of blob strings")
    func encoding() {
        #expect(wire(.get("k")) == "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
        #expect(wire(.ping) == "*1\r\n$4\r\nPING\r\n")
        #expect(wire(.mget(["a", "bb"])) == "*3\r\n$4\r\nMGET\r\n$1\r\na\r\n$2\r\nbb\r\n")
        #expect(wire(.del(["a"])) == "*2\r\n$3\r\nDEL\r\n$1\r\na\r\n")
        #expect(wire(.expire("k", seconds: 30)) == "*3\r\n$6\r\nEXPIRE\r\n$1\r\nk\r\n$2\r\n30\r\n")
        #expect(wire(.ttl("k")) == "*2\r\n$3\r\nTTL\r\n$1\r\nk\r\n")
        #expect(wire(.pttl("k")) == "*2\r\n$4\r\nPTTL\r\n$1\r\nk\r\n")
        #expect(wire(.flushdb) == "*1\r\n$7\r\nFLUSHDB\r\n")
    }

    @Test("SET with EX, PX and no expiration")
    func setExpirations() {
        let value = ByteBuffer(string: "v")
        #expect(wire(.set("k", value)) == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n")
        #expect(wire(.set("k", value, expiration: .seconds(10))) == "*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$2\r\nEX\r\n$2\r\n10\r\n")
        #expect(wire(.set("k", value, expiration: .milliseconds(1500))) == "*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$2\r\nPX\r\n$4\r\n1500\r\n")
    }

    @Test("binary arguments go out byte for byte; lengths of many digits are right")
    func binaryArguments() {
        let bytes: [UInt8] = [0, 13, 10, 255, 36]
        var encoded = ByteBuffer()
        RedisCommand("SET", [ByteBuffer(string: "k"), ByteBuffer(bytes: bytes)]).encode(into: &encoded)
        #expect(encoded.readableBytesView.elementsEqual(Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\n".utf8) + bytes + [13, 10]))
        let large = ByteBuffer(repeating: 0x61, count: 123_456)
        let command = RedisCommand("SET", [ByteBuffer(string: "k"), large])
        #expect(wire(command).hasPrefix("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$123456\r\naaa"))
        #expect(wire(RedisCommand("X", [ByteBuffer()])) == "*2\r\n$1\r\nX\r\n$0\r\n\r\n")
    }

    @Test("a server error's prefix is its first word in capitals, else ERR")
    func errorPrefix() {
        #expect(RedisError.serverErrorPrefix("OOM command not allowed when used memory > 'maxmemory'.") == "OOM")
        #expect(RedisError.serverErrorPrefix("WRONGTYPE Operation against a key") == "WRONGTYPE")
        #expect(RedisError.serverErrorPrefix("NOAUTH Authentication required.") == "NOAUTH")
        #expect(RedisError.serverErrorPrefix("ERR unknown command 'HELLO'") == "ERR")
        #expect(RedisError.serverErrorPrefix("something lower case") == "ERR")
        #expect(RedisError.serverErrorPrefix("") == "ERR")
        let error = RedisError(.timeout, "Redis 127.0.0.1:6379: GET got no reply within 25 ms")
        #expect("\(error)" == "Redis 127.0.0.1:6379: GET got no reply within 25 ms")
    }

    @Test("reply accessors")
    func accessors() {
        #expect(RESPValue.blobString(ByteBuffer(string: "12")).int64 == 12, "exact")
        #expect(RESPValue.integer(7).int64 == 7, "exact")
        #expect(RESPValue.simpleString("OK").string == "OK")
        #expect(RESPValue.null.isNull)
        #expect(RESPValue.error("ERR x").errorMessage == "ERR x")
        #expect(RESPValue.map([RESPMapEntry(key: .simpleString("a"), value: .integer(1))]).elements == [.simpleString("a"), .integer(1)])
        #expect(RESPValue.integer(1).bytes == nil)
    }
}
