/// A syntax check of JSON text (RFC 8259) that is stricter than Foundation's `JSONDecoder`
/// on Linux, which accepts trailing commas (`[1,]`, `{"a": 1,}`) and duplicate keys (keeping
/// one value silently), and whose errors do not say where the text is wrong. Run before
/// decoding: it refuses both, limits nesting, and every error names the line, the column
/// and the byte offset.
///
/// The scan is iterative (one explicit stack of open containers, bounded by
/// ``maxDepth``), so no input can exhaust the thread's stack, here or in the recursive
/// decoding that follows.
public struct StrictJSONScanner {
    /// The deepest nesting of arrays and objects accepted.
    public var maxDepth: Int

    /// A scanner that accepts at most `maxDepth` levels of nesting.
    public init(maxDepth: Int = 128) {
        self.maxDepth = maxDepth
    }

    /// Why the text is not accepted, and where.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, e.g. "trailing comma before ']'".
        public var reason: String
        /// 1-based line and column (in bytes) of the offending byte.
        public var line: Int
        public var column: Int
        /// 0-based byte offset of the offending byte.
        public var offset: Int

        /// "trailing comma before ']' at line 1, column 7 (byte 6)".
        public var description: String { "\(reason) at line \(line), column \(column) (byte \(offset))" }
    }

    private enum Container {
        /// `first`: nothing read since '['.
        case array(first: Bool)
        /// The keys seen so far, decoded; `first`: nothing read since '{'.
        case object(keys: Set<String>, first: Bool)
    }

    /// Throws the first problem in `bytes`, if any.
    public func validate(_ bytes: some Collection<UInt8>) throws(Failure) {
        var reader = Reader(Array(bytes))
        var stack: [Container] = []
        try value(&reader, &stack)
        while let top = stack.last {
            reader.skipWhitespace()
            switch top {
            case .array(let first):
                if reader.peek == UInt8(ascii: "]") {
                    reader.advance()
                    stack.removeLast()
                } else if first {
                    stack[stack.count - 1] = .array(first: false)
                    try value(&reader, &stack)
                } else if reader.peek == UInt8(ascii: ",") {
                    let comma = reader.position
                    reader.advance()
                    reader.skipWhitespace()
                    if reader.peek == UInt8(ascii: "]") { throw reader.failure("trailing comma before ']'", at: comma) }
                    try value(&reader, &stack)
                } else {
                    throw reader.failure(reader.isAtEnd ? "unterminated array: expected ',' or ']'" : "expected ',' or ']' in an array")
                }
            case .object(let keys, let first):
                if reader.peek == UInt8(ascii: "}") {
                    reader.advance()
                    stack.removeLast()
                } else if first {
                    stack[stack.count - 1] = .object(keys: keys, first: false)
                    try member(&reader, &stack)
                } else if reader.peek == UInt8(ascii: ",") {
                    let comma = reader.position
                    reader.advance()
                    reader.skipWhitespace()
                    if reader.peek == UInt8(ascii: "}") { throw reader.failure("trailing comma before '}'", at: comma) }
                    try member(&reader, &stack)
                } else {
                    throw reader.failure(reader.isAtEnd ? "unterminated object: expected ',' or '}'" : "expected ',' or '}' in an object")
                }
            }
        }
        reader.skipWhitespace()
        guard reader.isAtEnd else { throw reader.failure("unexpected text after the JSON value") }
    }

    /// One value; an array or object is only opened (pushed): the loop of ``validate(_:)``
    /// reads its elements, so nothing here recurses.
    private func value(_ reader: inout Reader, _ stack: inout [Container]) throws(Failure) {
        reader.skipWhitespace()
        guard let byte = reader.peek else { throw reader.failure("unexpected end of the text: expected a value") }
        switch byte {
        case UInt8(ascii: "["): try open(&reader, &stack, .array(first: true))
        case UInt8(ascii: "{"): try open(&reader, &stack, .object(keys: [], first: true))
        case UInt8(ascii: "\""): _ = try reader.string(decoding: false)
        case UInt8(ascii: "t"): try reader.literal("true")
        case UInt8(ascii: "f"): try reader.literal("false")
        case UInt8(ascii: "n"): try reader.literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try reader.number()
        default: throw reader.failure("unexpected character '\(Reader.show(byte))': expected a value")
        }
    }

    private func open(_ reader: inout Reader, _ stack: inout [Container], _ container: Container) throws(Failure) {
        guard stack.count < maxDepth else { throw reader.failure("nested deeper than \(maxDepth) levels") }
        reader.advance()
        stack.append(container)
    }

    /// `"key": value` in the object on top of the stack; a key seen before is refused.
    private func member(_ reader: inout Reader, _ stack: inout [Container]) throws(Failure) {
        reader.skipWhitespace()
        guard reader.peek == UInt8(ascii: "\"") else {
            throw reader.failure(reader.isAtEnd ? "unterminated object: expected a key" : "expected a key in double quotes")
        }
        let start = reader.position
        let key = try reader.string()
        guard case .object(var keys, _) = stack[stack.count - 1] else { return }
        guard keys.insert(key).inserted else { throw reader.failure("duplicate key \"\(key)\"", at: start) }
        stack[stack.count - 1] = .object(keys: keys, first: false)
        reader.skipWhitespace()
        guard reader.peek == UInt8(ascii: ":") else { throw reader.failure("expected ':' after the key \"\(key)\"") }
        reader.advance()
        try value(&reader, &stack)
    }
}
