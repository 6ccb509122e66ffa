/// The protocol a connection speaks, as negotiated by `HELLO`.
public enum RedisProtocolVersion: Int, Sendable, Equatable, CustomStringConvertible {
    /// RESP2: the server refused `HELLO 3` (Redis before 6, or a proxy without it).
    case resp2 = 2
    /// RESP3.
    case resp3 = 3

    /// `RESP2` or `RESP3`.
    public var description: String { "RESP\(rawValue)" }
}
