public import NIOCore

/// One Redis command: its name and its arguments as bytes.
///
/// ```swift
/// let command = RedisCommand("SET", ["key", "value"])
/// let binary = RedisCommand("SET", [ByteBuffer(string: "key"), vectorBytes])
/// ```
///
/// Commands are plain values; `RedisCommand+Commands.swift` builds the ones the cache needs.
/// On the wire a command is a RESP array of blob strings, the same in RESP2 and RESP3.
public struct RedisCommand: Sendable, Equatable {
    /// The command's name, such as `GET` (also used in error messages; arguments never are,
    /// since they may hold keys or values).
    public var name: String
    /// The arguments, in order.
    public var arguments: [ByteBuffer]

    /// A command with binary arguments.
    public init(_ name: String, _ arguments: [ByteBuffer] = []) {
        self.name = name
        self.arguments = arguments
    }

    /// A command with text arguments (sent as UTF-8).
    public init(_ name: String, _ arguments: [String]) {
        self.name = name
        self.arguments = arguments.map { ByteBuffer(string: $0) }
    }

    /// The number of bytes ``encode(into:)`` writes.
    public var encodedSize: Int {
        var size = 1 + Self.decimalLength(arguments.count + 1) + 2
        size += Self.blobSize(name.utf8.count)
        for argument in arguments { size += Self.blobSize(argument.readableBytes) }
        return size
    }

    /// Writes the command as a RESP array of blob strings.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "*"))
        Self.writeDecimal(arguments.count + 1, into: &buffer)
        buffer.writeInteger(Self.crlf)
        buffer.writeInteger(UInt8(ascii: "$"))
        Self.writeDecimal(name.utf8.count, into: &buffer)
        buffer.writeInteger(Self.crlf)
        buffer.writeString(name)
        buffer.writeInteger(Self.crlf)
        for argument in arguments {
            buffer.writeInteger(UInt8(ascii: "$"))
            Self.writeDecimal(argument.readableBytes, into: &buffer)
            buffer.writeInteger(Self.crlf)
            buffer.writeImmutableBuffer(argument)
            buffer.writeInteger(Self.crlf)
        }
    }

    /// `\r\n` as a big-endian `UInt16`.
    private static let crlf: UInt16 = 0x0D0A

    /// The size of a blob string of `length` bytes: `$`, length, CRLF, bytes, CRLF.
    private static func blobSize(_ length: Int) -> Int {
        1 + decimalLength(length) + 2 + length + 2
    }

    /// The number of decimal digits of a non-negative `value`.
    private static func decimalLength(_ value: Int) -> Int {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        return digits
    }

    /// Writes a non-negative `value` in decimal without making a `String`.
    private static func writeDecimal(_ value: Int, into buffer: inout ByteBuffer) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
