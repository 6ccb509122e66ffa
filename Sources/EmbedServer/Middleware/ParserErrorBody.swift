import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Gives the 400 that Hummingbird answers to a request NIO's HTTP parser refuses (a bad or
/// repeated `Content-Length`, a header or URL over the parser's limits, an unknown method, a
/// malformed chunk size…) the JSON error body every other error has, with what the parser
/// found: Hummingbird writes it with an empty body. Sits between the HTTP codec and the
/// application: it sees the parser's error on its way in and the 400's head on its way out.
final class ParserErrorBody: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The parser's error, until the 400 that answers it is written.
    private var parserError: HTTPParserError?

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError { parserError = error }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let error = parserError, case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest,
            head.headerFields[.contentLength] == "0"
        else { return context.write(data, promise: promise) }
        parserError = nil
        let body = ServerError(.invalidRequest, Self.describe(error)).jsonBody
        head.headerFields[.contentLength] = String(body.readableBytes)
        head.headerFields[.contentType] = "application/json"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: promise)
    }

    /// What the parser refused, in words.
    static func describe(_ error: HTTPParserError) -> String {
        let what: String
        switch error {
        case .unexpectedContentLength, .invalidContentLength: what = "the Content-Length header is invalid or given twice"
        case .headerOverflow: what = "the request line or headers are larger than the server accepts"
        case .invalidURL, .invalidPath, .invalidQueryString, .invalidFragment: what = "the request target (URL) is invalid or too long"
        case .invalidMethod: what = "the method is not one HTTP/1.1 defines"
        case .invalidChunkSize: what = "a chunk size of the chunked body is invalid"
        case .invalidVersion: what = "the HTTP version is invalid"
        default: what = "the request is malformed (\(error))"
        }
        return "the request is not valid HTTP/1.1: \(what); the connection is closed"
    }
}
