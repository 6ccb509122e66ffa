import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One open connection to the server, after its handshake (`HELLO`, `AUTH`, `SELECT`).
///
/// A connection is used by one caller at a time (the pool leases it out); each ``send(_:timeout:)``
/// writes its commands in one flush and waits for as many replies. Once
/// ``isUsable`` is false the connection is finished and the pool drops it.
final class RedisConnection: Sendable {
    /// A number naming the connection in logs.
    let id: Int
    /// The protocol negotiated.
    let protocolVersion: RedisProtocolVersion
    let channel: any Channel
    private let flags: ConnectionFlags
    private let address: String

    private init(id: Int, channel: any Channel, flags: ConnectionFlags, address: String, protocolVersion: RedisProtocolVersion) {
        self.id = id
        self.channel = channel
        self.flags = flags
        self.address = address
        self.protocolVersion = protocolVersion
    }

    /// Whether the connection can take another command.
    var isUsable: Bool {
        !flags.isBroken && channel.isActive
    }

    /// Connects, negotiates the protocol, authenticates and selects the database.
    static func connect(
        id: Int, configuration: RedisConfiguration, sslContext: NIOSSLContext?,
        group: any EventLoopGroup, logger: Logger
    ) async throws(RedisError) -> RedisConnection {
        let address = configuration.address
        let flags = ConnectionFlags()
        let serverName = sslContext == nil ? nil : Self.serverName(configuration)
        let maxReplySize = configuration.maxReplySize
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        try pipeline.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    try pipeline.addHandler(ByteToMessageHandler(RESPDecoder(maxReplySize: maxReplySize)))
                    try pipeline.addHandler(RedisChannelHandler(flags: flags, address: address, logger: logger))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw RedisError(.connectionFailed, "Redis \(address): could not connect: \(Self.describe(error, configuration))")
        }
        let pending = RedisConnection(id: id, channel: channel, flags: flags, address: address, protocolVersion: .resp3)
        do {
            let version = try await pending.handshake(configuration, logger: logger)
            return RedisConnection(id: id, channel: channel, flags: flags, address: address, protocolVersion: version)
        } catch {
            await pending.close()
            throw error
        }
    }

    /// Sends `commands` in one write and returns their replies in order (error replies
    /// included, as ``RESPValue/error(_:)``).
    func send(_ commands: [RedisCommand], timeout: Duration) async throws(RedisError) -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        let label = commands.count == 1 ? commands[0].name : "pipeline of \(commands.count) commands"
        guard !flags.isBroken else {
            throw RedisError(.connectionFailed, "Redis \(address): \(label) on a closed connection")
        }
        var bytes = channel.allocator.buffer(capacity: commands.reduce(0) { $0 + $1.encodedSize })
        for command in commands { command.encode(into: &bytes) }
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        let request = RedisRequest(
            bytes: bytes, replyCount: commands.count, timeout: TimeAmount(timeout), label: label, promise: promise)
        // A write that never reaches the handler (the channel closed meanwhile) must still
        // fail the request: completing a promise twice is a no-op in NIO.
        let written = channel.eventLoop.makePromise(of: Void.self)
        let address = address
        written.futureResult.whenFailure { error in
            promise.fail(RedisError(.connectionFailed, "Redis \(address): \(label) could not be written: \(error)"))
        }
        channel.writeAndFlush(request, promise: written)
        do {
            return try await promise.futureResult.get()
        } catch let error as RedisError {
            throw error
        } catch {
            throw RedisError(.connectionFailed, "Redis \(address): \(label) failed: \(error)")
        }
    }

    /// Closes the connection (waiting requests fail) and waits until it is closed.
    func close() async {
        flags.markBroken()
        try? await channel.close().get()
    }

    /// Closes the connection without waiting.
    func closeNow() {
        flags.markBroken()
        channel.close(promise: nil)
    }

    /// The name to check the certificate against and send as SNI: the configured one, or
    /// the host unless it is an IP address (then the certificate is checked against the
    /// peer's address).
    private static func serverName(_ configuration: RedisConfiguration) -> String? {
        if let name = configuration.tls?.serverName { return name }
        let isIPAddress = (try? SocketAddress(ipAddress: configuration.host, port: 0)) != nil
        return isIPAddress ? nil : configuration.host
    }

    /// A connect error in words.
    private static func describe(_ error: any Error, _ configuration: RedisConfiguration) -> String {
        if let error = error as? ChannelError, case .connectTimeout = error {
            return "no connection within \(CircuitBreaker.milliseconds(configuration.connectTimeout)) ms"
        }
        return "\(error)"
    }
}
