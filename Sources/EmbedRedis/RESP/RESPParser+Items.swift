import NIOCore

extension RESPParser {
    /// The longest header line of a number, length or count (sign, digits, `inf`, exponent…).
    static let maxNumberLine = 64

    /// Reads one element (a scalar, or the header of an aggregate) when it is complete,
    /// consuming its bytes; `nil`, consuming nothing, when more bytes are needed.
    mutating func readItem(_ buffer: inout ByteBuffer) throws(RedisError) -> Item? {
        let start = buffer.readerIndex
        guard let type = buffer.getInteger(at: start, as: UInt8.self) else { return nil }
        let isNumeric = !(type == UInt8(ascii: "+") || type == UInt8(ascii: "-") || type == UInt8(ascii: "("))
        guard let lineEnd = try findLineEnd(buffer, from: start + 1, numeric: isNumeric) else { return nil }
        let lineStart = start + 1
        let lineLength = lineEnd - lineStart
        let headerLength = lineLength + 3
        guard headerLength <= remainingBudget else {
            throw Self.error("a reply larger than the \(maxReplySize)-byte limit")
        }
        switch type {
        case UInt8(ascii: "+"):
            let value = text(buffer, lineStart, lineLength)
            consume(headerLength, from: &buffer)
            return .value(.simpleString(value))
        case UInt8(ascii: "-"):
            let value = text(buffer, lineStart, lineLength)
            consume(headerLength, from: &buffer)
            return .value(.error(value))
        case UInt8(ascii: ":"):
            let value = try integer(buffer, lineStart, lineLength, what: "integer")
            consume(headerLength, from: &buffer)
            return .value(.integer(value))
        case UInt8(ascii: ","):
            guard let value = Double(text(buffer, lineStart, lineLength)) else {
                throw Self.error("invalid double '\(text(buffer, lineStart, lineLength))'")
            }
            consume(headerLength, from: &buffer)
            return .value(.double(value))
        case UInt8(ascii: "#"):
            let flag = lineLength == 1 ? buffer.getInteger(at: lineStart, as: UInt8.self) : nil
            guard flag == UInt8(ascii: "t") || flag == UInt8(ascii: "f") else {
                throw Self.error("invalid boolean '\(text(buffer, lineStart, lineLength))'")
            }
            consume(headerLength, from: &buffer)
            return .value(.boolean(flag == UInt8(ascii: "t")))
        case UInt8(ascii: "_"):
            guard lineLength == 0 else { throw Self.error("null with a payload") }
            consume(headerLength, from: &buffer)
            return .value(.null)
        case UInt8(ascii: "("):
            let digits = text(buffer, lineStart, lineLength)
            guard Self.isBigNumber(digits) else { throw Self.error("invalid big number '\(digits.prefix(64))'") }
            consume(headerLength, from: &buffer)
            return .value(.bigNumber(digits))
        case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
            return try readBlob(type, &buffer, lineStart: lineStart, lineLength: lineLength)
        case UInt8(ascii: "*"), UInt8(ascii: "%"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "|"):
            return try readAggregateHeader(type, &buffer, lineStart: lineStart, lineLength: lineLength)
        default:
            throw Self.error("unknown type byte 0x\(String(type, radix: 16)) after \(replyBytes) bytes of the reply")
        }
    }

    /// A blob string, blob error or verbatim string (`$`, `!`, `=`), or RESP2's null bulk string.
    private mutating func readBlob(
        _ type: UInt8, _ buffer: inout ByteBuffer, lineStart: Int, lineLength: Int
    ) throws(RedisError) -> Item? {
        if lineLength == 1, buffer.getInteger(at: lineStart, as: UInt8.self) == UInt8(ascii: "?") {
            throw Self.error("streamed strings are not supported")
        }
        let length = try integer(buffer, lineStart, lineLength, what: "length")
        let headerLength = lineLength + 3
        if length == -1, type == UInt8(ascii: "$") {
            consume(headerLength, from: &buffer)
            return .value(.null)
        }
        guard length >= 0 else { throw Self.error("negative length \(length)") }
        guard length <= Int64(remainingBudget - headerLength - 2) else {
            throw Self.error("a reply larger than the \(maxReplySize)-byte limit (a \(length)-byte string)")
        }
        let size = Int(length)
        let total = headerLength + size + 2
        guard buffer.readableBytes >= total else { return nil }
        let dataStart = buffer.readerIndex + headerLength
        guard buffer.getInteger(at: dataStart + size, as: UInt16.self) == Self.crlf else {
            throw Self.error("a \(size)-byte string not followed by CRLF")
        }
        let value: RESPValue
        switch type {
        case UInt8(ascii: "!"):
            value = .error(text(buffer, dataStart, size))
        case UInt8(ascii: "="):
            guard size >= 4, buffer.getInteger(at: dataStart + 3, as: UInt8.self) == UInt8(ascii: ":"),
                let body = buffer.getSlice(at: dataStart + 4, length: size - 4)
            else { throw Self.error("a verbatim string without its 'fmt:' prefix") }
            value = .blobString(body)
        default:
            guard let body = buffer.getSlice(at: dataStart, length: size) else { return nil }
            value = .blobString(body)
        }
        consume(total, from: &buffer)
        return .value(value)
    }

    /// The header of an array, map, set, push frame or attribute, or RESP2's null array.
    private mutating func readAggregateHeader(
        _ type: UInt8, _ buffer: inout ByteBuffer, lineStart: Int, lineLength: Int
    ) throws(RedisError) -> Item? {
        if lineLength == 1, buffer.getInteger(at: lineStart, as: UInt8.self) == UInt8(ascii: "?") {
            throw Self.error("streamed aggregates are not supported")
        }
        let count = try integer(buffer, lineStart, lineLength, what: "element count")
        let headerLength = lineLength + 3
        if count == -1, type == UInt8(ascii: "*") {
            consume(headerLength, from: &buffer)
            return .value(.null)
        }
        guard count >= 0 else { throw Self.error("negative element count \(count)") }
        let kind: AggregateKind
        switch type {
        case UInt8(ascii: "*"): kind = .array
        case UInt8(ascii: "~"): kind = .set
        case UInt8(ascii: ">"): kind = .push
        case UInt8(ascii: "%"): kind = .map
        default: kind = .attribute
        }
        let perEntry: Int64 = kind == .map || kind == .attribute ? 2 : 1
        // Every element takes at least three bytes (`_\r\n`): a count that cannot fit the
        // budget is refused before anything is reserved for it.
        guard count <= Int64(remainingBudget - headerLength) / (3 * perEntry) else {
            throw Self.error("a reply larger than the \(maxReplySize)-byte limit (\(count) elements announced)")
        }
        consume(headerLength, from: &buffer)
        return .aggregate(kind, count: Int(count * perEntry))
    }

    /// The index of the CR that ends the line starting at `from`, or `nil` when the line has
    /// not fully arrived (throws when it could not fit, or when CR is not followed by LF).
    private func findLineEnd(_ buffer: ByteBuffer, from: Int, numeric: Bool) throws(RedisError) -> Int? {
        let limit = numeric ? Self.maxNumberLine : remainingBudget - 3
        let view = buffer.readableBytesView
        guard from <= view.endIndex else { return nil }
        let searchEnd = Swift.min(view.endIndex, from + limit + 1)
        guard let cr = view[from..<searchEnd].firstIndex(of: UInt8(ascii: "\r")) else {
            if searchEnd - from > limit {
                throw Self.error(numeric ? "a header line longer than \(limit) bytes" : "a reply larger than the \(maxReplySize)-byte limit")
            }
            return nil
        }
        guard let lf = buffer.getInteger(at: cr + 1, as: UInt8.self) else { return nil }
        guard lf == UInt8(ascii: "\n") else { throw Self.error("CR not followed by LF") }
        return cr
    }

    /// The bytes `\r\n` read as a big-endian `UInt16`.
    static let crlf: UInt16 = 0x0D0A

    /// Text from the buffer (invalid UTF-8 is replaced, never trapped on).
    private func text(_ buffer: ByteBuffer, _ at: Int, _ length: Int) -> String {
        buffer.getString(at: at, length: length) ?? ""
    }

    /// A decimal integer with an optional sign, checked for overflow.
    private func integer(_ buffer: ByteBuffer, _ at: Int, _ length: Int, what: String) throws(RedisError) -> Int64 {
        var index = at
        let end = at + length
        var negative = false
        if let sign = buffer.getInteger(at: index, as: UInt8.self), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            index += 1
        }
        guard index < end else { throw Self.error("invalid \(what) '\(text(buffer, at, length))'") }
        var value: Int64 = 0
        while index < end {
            guard let byte = buffer.getInteger(at: index, as: UInt8.self), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw Self.error("invalid \(what) '\(text(buffer, at, length))'")
            }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { throw Self.error("\(what) out of range '\(text(buffer, at, length))'") }
            value = next
            index += 1
        }
        return value
    }

    /// Whether `text` is an optional `-` or `+` followed by one or more decimal digits.
    static func isBigNumber(_ text: String) -> Bool {
        let digits = text.utf8.first == UInt8(ascii: "-") || text.utf8.first == UInt8(ascii: "+") ? text.utf8.dropFirst() : text.utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
