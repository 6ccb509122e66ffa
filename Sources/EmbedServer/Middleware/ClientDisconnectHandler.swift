import NIOCore

/// Closes a connection whose client has closed its side (end of input), as hyper-based
/// servers do by default: HTTP/1.1 clients do not half-close while they wait for an answer,
/// so an end of input means the client went away. Once the connection is closed, requests of
/// that client still waiting in the embedder's queue are dropped before they run
/// (``ServerRequestContext/isClientConnected``).
final class ClientDisconnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
