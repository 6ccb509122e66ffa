import Hummingbird

/// Asks every request but the open ones (``isOpen(_:)``: the health checks and the API's
/// description) for `Authorization: Bearer <key>`; compares in constant time (no early exit
/// on the first differing byte).
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
        if Self.isOpen(request) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw ServerError(.unauthorized, "missing API key: send 'Authorization: Bearer <key>'")
        }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), Self.constantTimeEqual(Array(header.utf8.dropFirst(prefix.utf8.count)), key) else {
            throw ServerError(.unauthorized, "invalid API key")
        }
        return try await next(request, context)
    }

    /// The paths whose `GET` and `HEAD` never need the key: the health checks (`/health`, TEI's
    /// `/`) and the API's description (`/openapi.json`, `/docs`), which reveals nothing secret.
    static let openPaths: Set<String> = ["/health", "/", "/openapi.json", "/docs"]

    /// Whether `request` is a `GET` or `HEAD` of one of the ``openPaths``.
    static func isOpen(_ request: Request) -> Bool {
        openPaths.contains(request.uri.path) && (request.method == .get || request.method == .head)
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
