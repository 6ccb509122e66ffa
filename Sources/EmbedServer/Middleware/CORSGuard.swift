import Hummingbird
import Logging

/// Cross-origin requests, when ``ServerConfiguration/corsAllowOrigins`` lists origins (off
/// otherwise: no CORS headers, `Origin` ignored). A request whose `Origin` is listed (or any,
/// with `*`) gets `Access-Control-Allow-Origin`, also on errors, so a page can read them; a
/// preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered 204 before the
/// API key is asked for (browsers send none with it); any other `Origin` is a 403.
struct CORSGuard: RouterMiddleware {
    typealias Context = ServerRequestContext
    let origins: Set<String>

    init(origins: [String]) {
        self.origins = Set(origins)
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let any = origins.contains("*")
        guard any || origins.contains(origin) else {
            throw ServerError(
                .forbidden,
                "cross-origin requests from '\(origin)' are not allowed; server.cors_allow_origins lists "
                    + origins.sorted().joined(separator: ", "))
        }
        var response: Response
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, HEAD, POST, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Content-Type, Authorization"
            response.headers[.accessControlMaxAge] = "600"
        } else {
            do {
                response = try await next(request, context)
            } catch {
                let mapped = ServerError.wrapping(error)
                if mapped.kind == .internalError { context.logger.error("request failed: \(error)") }
                response = mapped.response
            }
        }
        response.headers[.accessControlAllowOrigin] = any ? "*" : origin
        if !any { response.headers[.vary] = "Origin" }
        return response
    }
}
