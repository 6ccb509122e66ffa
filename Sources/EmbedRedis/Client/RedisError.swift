/// The one error type of `EmbedRedis`.
///
/// Every failure carries a ``Code`` for programs and a message for people that names the
/// server address and, where there is one, the command. Server error replies keep their
/// prefix (`OOM`, `WRONGTYPE`, `NOAUTH`, …) in ``Code/serverError(_:)``.
public struct RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Hashable {
        /// The TCP or TLS connection could not be made, or it broke while in use.
        case connectionFailed
        /// A command got no reply within its timeout (its connection was closed).
        case timeout
        /// The server answered with an error reply; the value is its prefix, such as `"OOM"`,
        /// `"WRONGTYPE"`, `"NOAUTH"`, `"WRONGPASS"` or `"ERR"`.
        case serverError(String)
        /// The server sent bytes that are not RESP, or a reply larger than allowed.
        case protocolError
        /// A reply was valid RESP but not of the type the command answers with.
        case unexpectedReply
        /// The circuit breaker is open: the call failed without touching the network.
        case circuitOpen
        /// Every connection was busy and no place to wait for one was free in time.
        case poolExhausted
        /// The client was shut down.
        case shutdown
        /// The calling task was cancelled while it waited for a connection.
        case cancelled
        /// The configuration (or a `redis://` URL) is not usable.
        case invalidConfiguration
    }

    /// The kind of failure.
    public var code: Code
    /// A message naming the address, the command and what happened.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// The prefix of a server error message: its first word when that word is written in
    /// capitals (Redis's convention, `OOM command not allowed…` → `OOM`), else `ERR`.
    public static func serverErrorPrefix(_ message: String) -> String {
        let word = message.prefix { $0 != " " }
        let isPrefix = !word.isEmpty && word.allSatisfy { ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "-" }
        return isPrefix ? String(word) : "ERR"
    }

    /// A server error built from an error reply to `command` on `address`.
    static func server(_ reply: String, command: String, address: String) -> RedisError {
        RedisError(.serverError(serverErrorPrefix(reply)), "Redis \(address): \(command) failed: \(reply)")
    }

    /// Whether this failure says something about the server's health: the circuit breaker
    /// counts connection failures, timeouts and protocol errors, not error replies (the
    /// server answered) nor local conditions (pool exhausted, shutdown, cancellation).
    var countsAsFault: Bool {
        switch code {
        case .connectionFailed, .timeout, .protocolError: true
        case .serverError, .unexpectedReply, .circuitOpen, .poolExhausted, .shutdown, .cancelled, .invalidConfiguration: false
        }
    }
}
