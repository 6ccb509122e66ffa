/// How long the server waits for clients, and for itself at shutdown. Defaults follow
/// nginx's (60 s for headers and bodies, 75 s idle keep-alive, rounded to one minute here).
public struct ServerTimeouts: Sendable, Equatable {
    /// A connection with no request in progress is closed after this: idle keep-alive
    /// connections, and clients that never finish sending their headers (slowloris).
    public var idle: Duration
    /// A request whose body has not fully arrived this long after its headers is dropped
    /// and its connection closed.
    public var body: Duration
    /// After answering early (401, 404, 413…) while the client still sends its body, the
    /// server reads and discards the rest for at most this long (and at most
    /// ``lingerBytes``), so that the client finishes sending and reads the answer, then
    /// closes: nginx's lingering close (its `lingering_time` is 30 s too).
    public var linger: Duration
    /// The most bytes discarded that way.
    public var lingerBytes: Int
    /// On SIGTERM or SIGINT, requests in flight get this long to finish; then the
    /// remaining connections are closed and the process exits.
    public var drain: Duration

    /// Creates timeouts.
    public init(
        idle: Duration = .seconds(60), body: Duration = .seconds(60), linger: Duration = .seconds(30),
        lingerBytes: Int = 64 << 20, drain: Duration = .seconds(30)
    ) {
        self.idle = idle
        self.body = body
        self.linger = linger
        self.lingerBytes = lingerBytes
        self.drain = drain
    }

    /// Checks that every timeout is positive.
    public func validate() throws(ServerError) {
        for (name, value) in [("idle", idle), ("body", body), ("linger", linger), ("drain", drain)] where value <= .zero {
            throw ServerError(.invalidConfiguration, "the \(name) timeout must be positive, got \(value)")
        }
        guard lingerBytes >= 0 else {
            throw ServerError(.invalidConfiguration, "linger bytes must not be negative, got \(lingerBytes)")
        }
    }
}
