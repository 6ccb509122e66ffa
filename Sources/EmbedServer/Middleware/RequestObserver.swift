import EmbedCore
import Hummingbird
import Logging
import Metrics

/// The outermost middleware: turns every error into a ``ServerError`` (which renders itself
/// in OpenAI's error shape with the one status mapping), then records the request: `swift_embed_http_requests_total{route,method,status}`,
/// `swift_embed_http_request_seconds{route}` and a log line with method, route, status,
/// duration, input count and tokens.
struct RequestObserver: RouterMiddleware {
    typealias Context = ServerRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        var failure: ServerError?
        do {
            response = try await next(request, context)
        } catch {
            let mapped = ServerError.wrapping(error)
            if mapped.kind == .internalError {
                context.logger.error("request failed: \(error)")
            }
            failure = mapped
            response = mapped.response
        }
        let duration = start.duration(to: .now)
        let route = context.endpointPath ?? "unknown"
        let status = response.status.code
        Counter(
            label: "swift_embed_http_requests_total",
            dimensions: [("route", route), ("method", request.method.rawValue), ("status", String(status))]
        ).increment()
        Metrics.Timer(label: "swift_embed_http_request_seconds", dimensions: [("route", route)])
            .recordNanoseconds(duration.inNanoseconds)
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(status)",
            "duration_ms": "\(duration.inMilliseconds)",
        ]
        if context.report.inputs > 0 {
            metadata["inputs"] = "\(context.report.inputs)"
            metadata["tokens"] = "\(context.report.tokens)"
        }
        if let failure { metadata["error"] = "\(failure.message)" }
        context.logger.info("request", metadata: metadata)
        return response
    }
}
