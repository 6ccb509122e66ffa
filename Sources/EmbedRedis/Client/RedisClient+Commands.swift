public import NIOCore

extension RedisClient {
    /// `GET key`: the value, or `nil` when the key is missing.
    public func get(_ key: String, timeout: Duration? = nil) async throws(RedisError) -> ByteBuffer? {
        try blobOrNull(try await send(.get(key), timeout: timeout), command: "GET")
    }

    /// `MGET key…`: one value or `nil` per key, in order (one round trip).
    public func mget(_ keys: [String], timeout: Duration? = nil) async throws(RedisError) -> [ByteBuffer?] {
        guard !keys.isEmpty else { return [] }
        let reply = try await send(.mget(keys), timeout: timeout)
        guard case .array(let values) = reply, values.count == keys.count else {
            throw unexpected("MGET", reply, "an array of \(keys.count)")
        }
        var result: [ByteBuffer?] = []
        result.reserveCapacity(values.count)
        for value in values { result.append(try blobOrNull(value, command: "MGET")) }
        return result
    }

    /// `SET key value [EX seconds | PX milliseconds]`.
    public func set(
        _ key: String, _ value: ByteBuffer, expiration: RedisExpiration? = nil, timeout: Duration? = nil
    ) async throws(RedisError) {
        let reply = try await send(.set(key, value, expiration: expiration), timeout: timeout)
        guard case .simpleString("OK") = reply else { throw unexpected("SET", reply, "OK") }
    }

    /// `DEL key…`: how many keys were removed.
    @discardableResult
    public func del(_ keys: [String], timeout: Duration? = nil) async throws(RedisError) -> Int {
        guard !keys.isEmpty else { return 0 }
        return Int(try integer(try await send(.del(keys), timeout: timeout), command: "DEL"))
    }

    /// `EXPIRE key seconds`: whether the key exists (and now expires).
    @discardableResult
    public func expire(_ key: String, seconds: Int, timeout: Duration? = nil) async throws(RedisError) -> Bool {
        try integer(try await send(.expire(key, seconds: seconds), timeout: timeout), command: "EXPIRE") == 1
    }

    /// `TTL key`: seconds left; -1 when the key has no timeout, -2 when it is missing.
    public func ttl(_ key: String, timeout: Duration? = nil) async throws(RedisError) -> Int64 {
        try integer(try await send(.ttl(key), timeout: timeout), command: "TTL")
    }

    /// `PTTL key`: milliseconds left; -1 when the key has no timeout, -2 when it is missing.
    public func pttl(_ key: String, timeout: Duration? = nil) async throws(RedisError) -> Int64 {
        try integer(try await send(.pttl(key), timeout: timeout), command: "PTTL")
    }

    /// `PING`: throws unless the server answers `PONG`.
    public func ping(timeout: Duration? = nil) async throws(RedisError) {
        let reply = try await send(.ping, timeout: timeout)
        guard reply.string == "PONG" else { throw unexpected("PING", reply, "PONG") }
    }

    /// `FLUSHDB`: removes every key of the configured database (meant for tests).
    public func flushdb(timeout: Duration? = nil) async throws(RedisError) {
        let reply = try await send(.flushdb, timeout: timeout)
        guard case .simpleString("OK") = reply else { throw unexpected("FLUSHDB", reply, "OK") }
    }

    private func blobOrNull(_ value: RESPValue, command: String) throws(RedisError) -> ByteBuffer? {
        switch value {
        case .blobString(let bytes): return bytes
        case .null: return nil
        default: throw unexpected(command, value, "a blob string or null")
        }
    }

    private func integer(_ value: RESPValue, command: String) throws(RedisError) -> Int64 {
        guard case .integer(let number) = value else { throw unexpected(command, value, "an integer") }
        return number
    }

    private func unexpected(_ command: String, _ value: RESPValue, _ expected: String) -> RedisError {
        RedisError(.unexpectedReply, "Redis \(configuration.address): \(command) answered \(value.kindName), not \(expected)")
    }
}
