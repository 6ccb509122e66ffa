import Logging

extension RedisConnection {
    /// `HELLO 3` (with `AUTH` inside when there are credentials); when the server refuses
    /// `HELLO` (`ERR unknown command`, `NOPROTO`), RESP2 with `AUTH`. Then `SELECT` when a
    /// database other than 0 is configured. Each step may take the connect timeout.
    func handshake(_ configuration: RedisConfiguration, logger: Logger) async throws(RedisError) -> RedisProtocolVersion {
        let timeout = configuration.connectTimeout
        let address = configuration.address
        let hello = RedisCommand.hello(3, username: configuration.username, password: configuration.password)
        let version: RedisProtocolVersion
        switch try await sendOne(hello, timeout: timeout) {
        case .map, .array:
            version = .resp3
        case .error(let message) where Self.isHelloRefusal(message):
            logger.warning(
                "Redis server refused HELLO 3, falling back to RESP2",
                metadata: ["redis.address": "\(address)", "redis.connection": "\(id)", "redis.reply": "\(message)"])
            if let password = configuration.password {
                let reply = try await sendOne(.auth(username: configuration.username, password: password), timeout: timeout)
                try Self.expectOK(reply, command: "AUTH", address: address)
            }
            version = .resp2
        case .error(let message):
            throw RedisError.server(message, command: "HELLO", address: address)
        case let other:
            throw RedisError(.unexpectedReply, "Redis \(address): HELLO answered \(other.kindName)")
        }
        if configuration.database != 0 {
            let reply = try await sendOne(.select(configuration.database), timeout: timeout)
            try Self.expectOK(reply, command: "SELECT \(configuration.database)", address: address)
        }
        logger.info(
            "Redis connection ready",
            metadata: [
                "redis.address": "\(address)", "redis.connection": "\(id)", "redis.protocol": "\(version)",
                "redis.database": "\(configuration.database)", "redis.tls": "\(configuration.tls != nil)",
            ])
        return version
    }

    /// Whether an error reply to `HELLO` means "this server does not speak HELLO / RESP3":
    /// `NOPROTO`, or a generic `ERR` (Redis before 6 answers `ERR unknown command`). A
    /// refusal of the credentials (`WRONGPASS`, `NOAUTH`, `NOPERM`) and transient states
    /// (`LOADING`, `BUSY`, …) do not fall back.
    static func isHelloRefusal(_ message: String) -> Bool {
        let prefix = RedisError.serverErrorPrefix(message)
        return prefix == "NOPROTO" || prefix == "ERR"
    }

    /// The one reply to `command`.
    private func sendOne(_ command: RedisCommand, timeout: Duration) async throws(RedisError) -> RESPValue {
        let replies = try await send([command], timeout: timeout)
        guard let reply = replies.first else {
            throw RedisError(.protocolError, "Redis: no reply to \(command.name)")
        }
        return reply
    }

    /// Throws unless `reply` is `+OK`.
    private static func expectOK(_ reply: RESPValue, command: String, address: String) throws(RedisError) {
        switch reply {
        case .simpleString("OK"):
            return
        case .error(let message):
            throw RedisError.server(message, command: command, address: address)
        default:
            throw RedisError(.unexpectedReply, "Redis \(address): \(command) answered \(reply.kindName), not OK")
        }
    }
}
