import NIOCore

/// One write to a connection: encoded commands and the promise of their replies.
struct RedisRequest: Sendable {
    /// The commands, encoded back to back.
    var bytes: ByteBuffer
    /// How many replies complete the request (one per command).
    var replyCount: Int
    /// How long the replies may take.
    var timeout: TimeAmount
    /// The command (or `pipeline of N commands`) for error messages.
    var label: String
    /// Fulfilled with the replies in order, or failed with a ``RedisError``.
    var promise: EventLoopPromise<[RESPValue]>
}
