import EmbedRedis
import NIOCore
import NIOPosix
import Synchronization

/// A tiny Redis stand-in on loopback, for what a real `redis-server` will not do: refuse
/// `HELLO` and speak RESP2 only (as Redis before 6 does), or send broken replies.
///
/// It keeps strings in memory (`GET`, `SET`, `MGET`, `PING`, `SELECT`, `AUTH`) and logs
/// every command it is sent. Commands that misbehave on purpose: `GARBAGE` (an unknown
/// type byte), `HUGE` (a 100 MB blob header), `EXTRA` (two replies to one command),
/// `PUSHY` (a push frame, then `+OK`).
final class FakeRedisServer: Sendable {
    /// How the fake answers `HELLO`.
    enum Mode: Sendable {
        /// `-ERR unknown command 'HELLO'…`, then RESP2 (`$-1` for null).
        case resp2Only
        /// A RESP3 map, then RESP3 (`_` for null).
        case resp3
    }

    let mode: Mode
    /// The password `AUTH` must give (none when `nil`).
    let password: String?
    /// The user `AUTH` must name when it names one (`default` otherwise).
    let username: String
    private let channel: any Channel
    private let state: Shared

    /// What the connections share.
    final class Shared: Sendable {
        let commands = Mutex<[[String]]>([])
        let values = Mutex<[String: ByteBuffer]>([:])
    }

    /// The port it listens on.
    var port: Int { channel.localAddress?.port ?? 0 }

    /// Every command received so far, as text.
    var commands: [[String]] { state.commands.withLock { $0 } }

    private init(mode: Mode, password: String?, username: String, channel: any Channel, state: Shared) {
        self.mode = mode
        self.password = password
        self.username = username
        self.channel = channel
        self.state = state
    }

    /// Starts a fake server on a free loopback port.
    static func start(mode: Mode, password: String? = nil, username: String = "default") async throws -> FakeRedisServer {
        let state = Shared()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(CommandDecoder()))
                    try channel.pipeline.syncOperations.addHandler(
                        FakeSession(mode: mode, password: password, username: username, state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FakeRedisServer(mode: mode, password: password, username: username, channel: channel, state: state)
    }

    /// Stops listening (open connections are left to the client to close).
    func stop() async {
        try? await channel.close()
    }
}

/// Commands as text, parsed with the module's own RESP parser.
private struct CommandDecoder: ByteToMessageDecoder {
    typealias InboundOut = [String]
    var parser = RESPParser()

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try parser.next(&buffer) else { return .needMoreData }
        let words = (value.elements ?? []).map { $0.string ?? "" }
        context.fireChannelRead(Self.wrapInboundOut(words))
        return .continue
    }
}

/// One client connection of the fake.
private final class FakeSession: ChannelInboundHandler {
    typealias InboundIn = [String]
    typealias OutboundOut = ByteBuffer

    private var resp3 = false
    private var authenticated: Bool
    private let mode: FakeRedisServer.Mode
    private let password: String?
    private let username: String
    private let state: FakeRedisServer.Shared

    init(mode: FakeRedisServer.Mode, password: String?, username: String, state: FakeRedisServer.Shared) {
        self.mode = mode
        self.password = password
        self.username = username
        self.state = state
        self.authenticated = password == nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let words = unwrapInboundIn(data)
        state.commands.withLock { $0.append(words) }
        let reply = answer(words)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: reply)), promise: nil)
    }

    private func answer(_ words: [String]) -> String {
        let name = words.first?.uppercased() ?? ""
        let arguments = Array(words.dropFirst())
        switch name {
        case "HELLO":
            guard mode == .resp3 else { return "-ERR unknown command 'HELLO', with args beginning with: '3' \r\n" }
            resp3 = true
            return "%2\r\n+server\r\n+fake\r\n+proto\r\n:3\r\n"
        case "AUTH":
            let (user, given) = arguments.count == 2 ? (arguments[0], arguments[1]) : ("default", arguments.first ?? "")
            guard let password, given == password, user == username else {
                return "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
            }
            authenticated = true
            return "+OK\r\n"
        default:
            break
        }
        guard authenticated else { return "-NOAUTH Authentication required.\r\n" }
        switch name {
        case "PING": return "+PONG\r\n"
        case "SELECT": return "+OK\r\n"
        case "SET":
            guard arguments.count >= 2 else { return "-ERR wrong number of arguments for 'set' command\r\n" }
            state.values.withLock { $0[arguments[0]] = ByteBuffer(string: arguments[1]) }
            return "+OK\r\n"
        case "GET":
            return blob(arguments.first.flatMap { key in state.values.withLock { $0[key] } })
        case "MGET":
            let values = state.values.withLock { values in arguments.map { values[$0] } }
            return "*\(values.count)\r\n" + values.map(blob).joined()
        case "GARBAGE": return "?garbage\r\n"
        case "HUGE": return "$100000000\r\n"
        case "EXTRA": return "+OK\r\n+OK\r\n"
        case "PUSHY": return ">2\r\n+message\r\n+hello\r\n+OK\r\n"
        default: return "-ERR unknown command '\(words.first ?? "")'\r\n"
        }
    }

    private func blob(_ value: ByteBuffer?) -> String {
        guard let value else { return resp3 ? "_\r\n" : "$-1\r\n" }
        return "$\(value.readableBytes)\r\n\(String(buffer: value))\r\n"
    }
}
