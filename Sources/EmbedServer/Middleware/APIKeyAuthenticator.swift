import Hummingbird

/// Asks every request but the health checks (`GET`/`HEAD` `/health` and `/`) for `Authorization: Bearer <key>`; compares in
/// constant time (no early exit on the first differing byte).
struct APIKeyAuthenticator: RouterMiddleware {
    typealias Context = ServerRequestContext

    /// The expected key's bytes.
    let key: [UInt8]

    init(apiKey: String) {
        key = Array(apiKey.utf8)
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if Self.isHealthCheck(request) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw ServerError(.unauthorized, "missing API key: send 'Authorization: Bearer <key>'")
        }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), Self.constantTimeEqual(Array(header.utf8.dropFirst(prefix.utf8.count)), key) else {
            throw ServerError(.unauthorized, "invalid API key")
        }
        return try await next(request, context)
    }

    /// `GET /health`, or TEI's `GET /` (HEAD too), which never need the key.
    static func isHealthCheck(_ request: Request) -> Bool {
        let path = request.uri.path
        return (path == "/health" || path == "/") && (request.method == .get || request.method == .head)
    }

    /// Whether `a` and `b` are equal, in a time that depends only on their lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let length = max(a.count, b.count)
        for index in 0..<length {
            let left = index < a.count ? a[index] : 0
            let right = index < b.count ? b[index] : 0
            difference |= left ^ right
        }
        return difference == 0 && a.count == b.count
    }
}
