import Logging
import NIOCore

/// Matches replies to requests on one connection, in order, and enforces timeouts.
///
/// A request is written and flushed at once; its replies are the next `replyCount` replies
/// (push frames are skipped). When a request times out, or anything goes wrong (a protocol
/// error, a reply nobody waits for, the peer closing), the connection is marked broken,
/// every waiting request fails, and the channel is closed: a later command can never read
/// an earlier command's reply.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        let id: UInt64
        let request: RedisRequest
        var timer: Scheduled<Void>?
    }

    private var waiting = CircularBuffer<Waiting>()
    /// The replies so far of the oldest waiting request.
    private var replies: [RESPValue] = []
    private var nextID: UInt64 = 0
    /// Set once the connection is unusable; later writes fail with it.
    private var failure: RedisError?
    private var context: ChannelHandlerContext?
    private let flags: ConnectionFlags
    private let address: String
    private let logger: Logger

    init(flags: ConnectionFlags, address: String, logger: Logger) {
        self.flags = flags
        self.address = address
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(RedisError(.connectionFailed, "Redis \(address): connection closed"))
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        let id = nextID
        nextID &+= 1
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: request.timeout) { [weak self] in
            guard let self else { return }
            self.timedOut(id)
        }
        if waiting.isEmpty { replies.reserveCapacity(request.replyCount) }
        waiting.append(Waiting(id: id, request: request, timer: timer))
        context.writeAndFlush(wrapOutboundOut(request.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        if case .push = value {
            logger.trace("Redis push frame skipped", metadata: ["redis.address": "\(address)"])
            return
        }
        guard let oldest = waiting.first else {
            fail(RedisError(.protocolError, "Redis \(address): a reply arrived with no command waiting for it"))
            context.close(promise: nil)
            return
        }
        replies.append(value)
        guard replies.count == oldest.request.replyCount else { return }
        waiting.removeFirst()
        oldest.timer?.cancel()
        let done = replies
        replies = []
        if let next = waiting.first { replies.reserveCapacity(next.request.replyCount) }
        oldest.request.promise.succeed(done)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? RedisError {
            fail(RedisError(error.code, "Redis \(address): \(error.message)"))
        } else {
            fail(RedisError(.connectionFailed, "Redis \(address): connection error: \(error)"))
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(RedisError(.connectionFailed, "Redis \(address): connection closed by the server"))
        context.fireChannelInactive()
    }

    /// Fails the request `id` with a timeout (when it is still waiting) and closes.
    private func timedOut(_ id: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        let request = waiting[index].request
        let milliseconds = request.timeout.nanoseconds / 1_000_000
        let error = RedisError(
            .timeout, "Redis \(address): \(request.label) got no reply within \(milliseconds) ms (connection closed)")
        // Only this request timed out; the ones queued with it fail as the connection goes.
        flags.markBroken()
        waiting[index].timer = nil
        waiting.remove(at: index)
        fail(RedisError(.connectionFailed, "Redis \(address): connection closed after \(request.label) timed out"))
        request.promise.fail(error)
        context?.close(promise: nil)
    }

    /// Marks the connection broken and fails every waiting request with `error`.
    private func fail(_ error: RedisError) {
        flags.markBroken()
        if failure == nil { failure = error }
        let failed = waiting
        waiting.removeAll()
        replies = []
        for entry in failed {
            entry.timer?.cancel()
            entry.request.promise.fail(error)
        }
    }
}
