import Logging
import NIOCore
import NIOHTTPTypes

/// Bounds the time a request body may take, and lets an early answer reach its client.
///
/// * A body that has not fully arrived ``ServerTimeouts/body`` after its headers closes the
///   connection (a slow or stalled upload cannot hold a connection, or the shutdown, forever).
/// * When the server answers before the body is read (401, 404, 413…), the rest of the body is
///   read (this handler asks for the reads the application no longer asks for) and dropped
///   here instead of being handed to a request that is over: nothing backs up, the client
///   finishes sending and reads the status, and the request's end goes on so
///   that the connection is kept or closed as HTTP says. Lingering is bounded by
///   ``ServerTimeouts/linger`` and ``ServerTimeouts/lingerBytes``; past either, the
///   connection is closed.
final class RequestBodyHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeouts: ServerTimeouts
    private let logger: Logger
    private var inRequest = false
    private var discarding = false
    private var discarded = 0
    private var deadline: Scheduled<Void>?
    /// Set when the application closed the connection while its client was still sending:
    /// the output is shut and the input drained; `closePromise` is that close's, to finish.
    private var lingering = false
    private var closePromise: EventLoopPromise<Void>?

    init(timeouts: ServerTimeouts, logger: Logger) {
        self.timeouts = timeouts
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            inRequest = true
            discarding = false
            discarded = 0
            schedule(context, after: timeouts.body, "the request body did not arrive within \(timeouts.body)")
            context.fireChannelRead(data)
        case .body(let buffer):
            guard discarding else { return context.fireChannelRead(data) }
            discarded += buffer.readableBytes
            if discarded > timeouts.lingerBytes {
                close(context, "the client sent more than \(timeouts.lingerBytes) bytes after an early answer")
            }
        case .end:
            inRequest = false
            discarding = false
            cancelDeadline()
            if lingering { return finishClose(context) }
            context.fireChannelRead(data)
        }
    }

    /// A close while the client still sends (the application answered early and is done):
    /// nginx's lingering close — shut the output (the client sees the answer and the end),
    /// read and drop the rest of the body, then close. Closing at once would reset the
    /// connection, and a client still sending would lose the answer with its data.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, discarding, !lingering else {
            return context.close(mode: mode, promise: promise)
        }
        lingering = true
        closePromise = promise
        context.close(mode: .output, promise: nil)
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let answersEarly = if case .end = unwrapOutboundIn(data), inRequest, !discarding { true } else { false }
        context.write(data, promise: promise)
        if answersEarly {
            discarding = true
            schedule(context, after: timeouts.linger, "the client kept sending for \(timeouts.linger) after an early answer")
            // The request is over for the application, which reads no more: read for it.
            context.read()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if discarding { context.read() }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    private func schedule(_ context: ChannelHandlerContext, after delay: Duration, _ reason: String) {
        cancelDeadline()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { [self] in
            deadline = nil
            close(context, reason)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }

    private func close(_ context: ChannelHandlerContext, _ reason: String) {
        cancelDeadline()
        logger.notice("closing the connection: \(reason)", metadata: ["remote": "\(context.remoteAddress?.description ?? "?")"])
        finishClose(context)
    }

    /// Closes the connection, completing the application's own close if it is waiting.
    private func finishClose(_ context: ChannelHandlerContext) {
        cancelDeadline()
        lingering = false
        let promise = closePromise
        closePromise = nil
        context.close(mode: .all, promise: promise)
    }
}
