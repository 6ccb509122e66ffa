public import NIOCore

extension RedisCommand {
    /// `GET key`: a blob string, or null when the key is missing.
    public static func get(_ key: String) -> RedisCommand {
        RedisCommand("GET", [key])
    }

    /// `MGET key…`: an array with a blob string or null per key, in order.
    public static func mget(_ keys: [String]) -> RedisCommand {
        RedisCommand("MGET", keys)
    }

    /// `SET key value [EX seconds | PX milliseconds]`: `OK`.
    public static func set(_ key: String, _ value: ByteBuffer, expiration: RedisExpiration? = nil) -> RedisCommand {
        var arguments = [ByteBuffer(string: key), value]
        switch expiration {
        case .seconds(let seconds)?:
            arguments += [ByteBuffer(string: "EX"), ByteBuffer(string: String(seconds))]
        case .milliseconds(let milliseconds)?:
            arguments += [ByteBuffer(string: "PX"), ByteBuffer(string: String(milliseconds))]
        case nil:
            break
        }
        return RedisCommand("SET", arguments)
    }

    /// `DEL key…`: the number of keys removed.
    public static func del(_ keys: [String]) -> RedisCommand {
        RedisCommand("DEL", keys)
    }

    /// `EXPIRE key seconds`: 1 when the timeout was set, 0 when the key is missing.
    public static func expire(_ key: String, seconds: Int) -> RedisCommand {
        RedisCommand("EXPIRE", [key, String(seconds)])
    }

    /// `TTL key`: seconds left; -1 without a timeout, -2 when the key is missing.
    public static func ttl(_ key: String) -> RedisCommand {
        RedisCommand("TTL", [key])
    }

    /// `PTTL key`: milliseconds left; -1 without a timeout, -2 when the key is missing.
    public static func pttl(_ key: String) -> RedisCommand {
        RedisCommand("PTTL", [key])
    }

    /// `PING`: `PONG`.
    public static var ping: RedisCommand {
        RedisCommand("PING")
    }

    /// `FLUSHDB`: removes every key of the selected database (for tests).
    public static var flushdb: RedisCommand {
        RedisCommand("FLUSHDB")
    }

    /// `HELLO protover [AUTH username password]`.
    static func hello(_ version: Int, username: String?, password: String?) -> RedisCommand {
        var arguments = [String(version)]
        if let password {
            arguments += ["AUTH", username ?? "default", password]
        }
        return RedisCommand("HELLO", arguments)
    }

    /// `AUTH [username] password`.
    static func auth(username: String?, password: String) -> RedisCommand {
        RedisCommand("AUTH", username.map { [$0, password] } ?? [password])
    }

    /// `SELECT index`.
    static func select(_ database: Int) -> RedisCommand {
        RedisCommand("SELECT", [String(database)])
    }
}
