public import NIOCore

extension RESPValue {
    /// The bytes of a blob string, simple string or big number; nil otherwise.
    public var bytes: ByteBuffer? {
        switch self {
        case .blobString(let buffer): buffer
        case .simpleString(let text), .bigNumber(let text): ByteBuffer(string: text)
        default: nil
        }
    }

    /// The text of a simple string, blob string (decoded as UTF-8) or big number; nil otherwise.
    public var string: String? {
        switch self {
        case .simpleString(let text), .bigNumber(let text): text
        case .blobString(let buffer): String(buffer: buffer)
        default: nil
        }
    }

    /// An integer reply, or a string holding a decimal integer (RESP2 sends some numbers
    /// as bulk strings); nil otherwise.
    public var int64: Int64? {
        switch self {
        case .integer(let value): value
        case .simpleString, .blobString, .bigNumber: string.flatMap { Int64($0) }
        default: nil
        }
    }

    /// The elements of an array, set or push frame; the keys and values of a map,
    /// alternating (as RESP2 sends maps); nil otherwise.
    public var elements: [RESPValue]? {
        switch self {
        case .array(let values), .set(let values), .push(let values): values
        case .map(let entries): entries.flatMap { [$0.key, $0.value] }
        default: nil
        }
    }

    /// Whether this is ``null``.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The message of an error reply; nil otherwise.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }

    /// The RESP type's name, for messages.
    var kindName: String {
        switch self {
        case .simpleString: "a simple string"
        case .blobString: "a blob string"
        case .error: "an error"
        case .integer: "an integer"
        case .double: "a double"
        case .boolean: "a boolean"
        case .bigNumber: "a big number"
        case .null: "null"
        case .array: "an array"
        case .map: "a map"
        case .set: "a set"
        case .push: "a push frame"
        }
    }
}
