/// Where the Redis server is and how the client treats it; every field has a default.
///
/// Built field by field or from a URL (`redis://[user:pass@]host:port/db`, `rediss://` for
/// TLS) with ``init(url:)``. The description hides the password.
public struct RedisConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// The server's host name or IP address. Default `127.0.0.1`.
    public var host: String
    /// The server's port. Default 6379.
    public var port: Int
    /// The ACL user (Redis 6+); `nil` is the `default` user. Default `nil`.
    public var username: String?
    /// The password; `nil` sends no credentials. Default `nil`.
    public var password: String?
    /// The database selected on every connection (`SELECT`). Default 0.
    public var database: Int
    /// TLS settings; `nil` is plain TCP. Default `nil`.
    public var tls: TLS?
    /// The most connections open at once. Default 8.
    public var poolSize: Int
    /// The most callers waiting for a free connection; one more fails at once with
    /// ``RedisError/Code/poolExhausted``. Default 64.
    public var maxWaiters: Int
    /// How long a command (or a pipeline, as a whole) may wait for its reply, and how long a
    /// caller may wait for a free connection. Default 25 ms.
    public var commandTimeout: Duration
    /// How long the TCP connect, and then each handshake command (`HELLO`, `AUTH`,
    /// `SELECT`), may take. Default 250 ms.
    public var connectTimeout: Duration
    /// Consecutive faults (connection failures, timeouts, protocol errors) that open the
    /// circuit breaker. Default 5.
    public var breakerFailureThreshold: Int
    /// How long the breaker stays open before it lets one call through. Default 1 s.
    public var breakerCoolDown: Duration
    /// The largest reply accepted, in bytes (Redis's own limit for a value is 512 MiB).
    /// Default 64 MiB.
    public var maxReplySize: Int

    /// Creates a configuration; every argument has its default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        tls: TLS? = nil,
        poolSize: Int = 8,
        maxWaiters: Int = 64,
        commandTimeout: Duration = .milliseconds(25),
        connectTimeout: Duration = .milliseconds(250),
        breakerFailureThreshold: Int = 5,
        breakerCoolDown: Duration = .seconds(1),
        maxReplySize: Int = 64 << 20
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.poolSize = poolSize
        self.maxWaiters = maxWaiters
        self.commandTimeout = commandTimeout
        self.connectTimeout = connectTimeout
        self.breakerFailureThreshold = breakerFailureThreshold
        self.breakerCoolDown = breakerCoolDown
        self.maxReplySize = maxReplySize
    }

    /// `host:port` (IPv6 addresses in brackets), as error messages name the server.
    public var address: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The configuration as a URL, with the password replaced by `***`.
    public var description: String {
        var userInfo = ""
        if let username { userInfo = username }
        if password != nil { userInfo += ":***" }
        if !userInfo.isEmpty { userInfo += "@" }
        return "\(tls == nil ? "redis" : "rediss")://\(userInfo)\(address)/\(database)"
    }

    /// Checks every field; the error names the first bad one.
    public func validate() throws(RedisError) {
        func bad(_ what: String) -> RedisError {
            RedisError(.invalidConfiguration, "Redis configuration: \(what)")
        }
        if host.isEmpty { throw bad("the host is empty") }
        if !(1...65535).contains(port) { throw bad("port \(port) is not in 1…65535") }
        if database < 0 { throw bad("database \(database) is negative") }
        if username != nil, password == nil { throw bad("username '\(username ?? "")' has no password") }
        if poolSize < 1 { throw bad("poolSize \(poolSize) is below 1") }
        if maxWaiters < 0 { throw bad("maxWaiters \(maxWaiters) is negative") }
        if commandTimeout <= .zero { throw bad("commandTimeout \(commandTimeout) is not positive") }
        if connectTimeout <= .zero { throw bad("connectTimeout \(connectTimeout) is not positive") }
        if breakerFailureThreshold < 1 { throw bad("breakerFailureThreshold \(breakerFailureThreshold) is below 1") }
        if breakerCoolDown < .zero { throw bad("breakerCoolDown \(breakerCoolDown) is negative") }
        if maxReplySize < 1024 { throw bad("maxReplySize \(maxReplySize) is below 1024 bytes") }
    }
}
