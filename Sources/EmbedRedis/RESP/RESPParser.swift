public import NIOCore

/// An incremental RESP3 / RESP2 reply parser.
///
/// Feed it the bytes read so far; ``next(_:)`` returns a reply once one is complete and
/// `nil` while one is still arriving. It consumes each complete element as it goes (blob
/// strings become slices of the read buffer, not copies) and keeps the open aggregates
/// between calls, so a reply split across any number of reads is parsed in one pass.
///
/// It never allocates in proportion to what the server *claims*: a reply whose bytes (read
/// or announced by a length or an element count) would pass ``maxReplySize`` is refused
/// with ``RedisError/Code/protocolError``, and so is nesting deeper than ``maxDepth``.
/// Malformed input is a `protocolError` too; after an error the parser must be discarded
/// (its connection is closed).
public struct RESPParser: Sendable {
    /// The largest reply accepted, in bytes.
    public let maxReplySize: Int
    /// The deepest nesting of aggregates accepted.
    public let maxDepth: Int

    /// The aggregates opened by the reply being read, innermost last.
    private var open: [OpenAggregate] = []
    /// Bytes of the current reply consumed so far.
    private(set) var replyBytes = 0

    /// Creates a parser; `maxReplySize` bounds one reply, `maxDepth` its nesting.
    public init(maxReplySize: Int = 64 << 20, maxDepth: Int = 64) {
        self.maxReplySize = Swift.max(16, maxReplySize)
        self.maxDepth = Swift.max(1, maxDepth)
    }

    /// The next complete reply in `buffer`, consuming its bytes, or `nil` when more bytes
    /// are needed (the part already read is kept).
    public mutating func next(_ buffer: inout ByteBuffer) throws(RedisError) -> RESPValue? {
        while true {
            guard let item = try readItem(&buffer) else { return nil }
            switch item {
            case .value(let value):
                if let reply = finish(value) { return reply }
            case .aggregate(let kind, let count):
                guard open.count < maxDepth else {
                    throw Self.error("aggregates nested deeper than \(maxDepth)")
                }
                if count == 0 {
                    if kind == .attribute { continue }
                    if let reply = finish(kind.value(of: [])) { return reply }
                } else {
                    open.append(OpenAggregate(kind: kind, remaining: count, capacity: Swift.min(count, 1024)))
                }
            }
        }
    }

    /// Adds a complete element to the innermost open aggregate, closing every aggregate it
    /// completes; the finished reply when nothing is left open.
    private mutating func finish(_ element: RESPValue) -> RESPValue? {
        var value = element
        while let last = open.indices.last {
            open[last].elements.append(value)
            open[last].remaining -= 1
            if open[last].remaining > 0 { return nil }
            let done = open.removeLast()
            // An attribute describes the value after it and is dropped: that value then
            // takes the attribute's place in the parent.
            if done.kind == .attribute { return nil }
            value = done.kind.value(of: done.elements)
        }
        replyBytes = 0
        return value
    }

    /// Accounts for `count` consumed bytes of the current reply.
    mutating func consume(_ count: Int, from buffer: inout ByteBuffer) {
        buffer.moveReaderIndex(forwardBy: count)
        replyBytes += count
    }

    /// Bytes the current reply may still take.
    var remainingBudget: Int { maxReplySize - replyBytes }

    /// A protocol error.
    static func error(_ what: String) -> RedisError {
        RedisError(.protocolError, "RESP: \(what)")
    }
}

extension RESPParser {
    /// One element read from the buffer: a whole scalar, or the header of an aggregate.
    enum Item {
        case value(RESPValue)
        case aggregate(AggregateKind, count: Int)
    }

    /// The kinds of aggregate.
    enum AggregateKind: Sendable, Equatable {
        case array, set, push, map, attribute

        /// The value made of `elements` (for maps, keys and values alternating).
        func value(of elements: [RESPValue]) -> RESPValue {
            switch self {
            case .array: return .array(elements)
            case .set: return .set(elements)
            case .push: return .push(elements)
            case .map, .attribute:
                var entries: [RESPMapEntry] = []
                entries.reserveCapacity(elements.count / 2)
                var index = elements.startIndex
                while index + 1 < elements.endIndex {
                    entries.append(RESPMapEntry(key: elements[index], value: elements[index + 1]))
                    index += 2
                }
                return .map(entries)
            }
        }
    }

    /// An aggregate still waiting for elements.
    struct OpenAggregate: Sendable {
        var kind: AggregateKind
        var remaining: Int
        var elements: [RESPValue]

        init(kind: AggregateKind, remaining: Int, capacity: Int) {
            self.kind = kind
            self.remaining = remaining
            self.elements = []
            self.elements.reserveCapacity(capacity)
        }
    }
}
