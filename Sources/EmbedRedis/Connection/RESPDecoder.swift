import NIOCore

/// Turns the bytes read from a connection into replies, with ``RESPParser``.
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    private var parser: RESPParser

    /// A decoder refusing replies over `maxReplySize` bytes.
    init(maxReplySize: Int) {
        parser = RESPParser(maxReplySize: maxReplySize)
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try parser.next(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(value))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A reply cut off by the close is dropped; the handler fails its command.
        try decode(context: context, buffer: &buffer)
    }
}
