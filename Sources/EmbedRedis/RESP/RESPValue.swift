public import NIOCore

/// One reply from a Redis server, RESP3 or RESP2.
///
/// RESP2 is a subset: its null bulk string (`$-1`) and null array (`*-1`) both become
/// ``null``. RESP3 verbatim strings (`=`) become ``blobString(_:)`` holding the text after
/// the three-letter format and colon; big numbers (`(`) become ``bigNumber(_:)`` holding
/// the decimal digits. Attributes (`|`) are read and dropped. Push frames (`>`) are
/// ``push(_:)``; a connection skips them between replies.
public enum RESPValue: Sendable, Equatable {
    /// A simple string (`+OK`).
    case simpleString(String)
    /// A blob (bulk) string: the bytes as sent, without a copy of the read buffer.
    case blobString(ByteBuffer)
    /// An error reply, simple (`-`) or blob (`!`): the whole message, such as
    /// `OOM command not allowed when used memory > 'maxmemory'.`.
    case error(String)
    /// An integer (`:`).
    case integer(Int64)
    /// A double (`,`), including `inf`, `-inf` and `nan`.
    case double(Double)
    /// A boolean (`#t` / `#f`).
    case boolean(Bool)
    /// A big number (`(`), as its decimal digits (with a leading `-` when negative).
    case bigNumber(String)
    /// Null: RESP3 `_`, RESP2 `$-1` and `*-1`.
    case null
    /// An array (`*`).
    case array([RESPValue])
    /// A map (`%`), in the order the server sent it.
    case map([RESPMapEntry])
    /// A set (`~`), in the order the server sent it.
    case set([RESPValue])
    /// An out-of-band push frame (`>`), such as a client-tracking invalidation.
    case push([RESPValue])
}
