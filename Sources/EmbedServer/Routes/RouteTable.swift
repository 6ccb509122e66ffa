import Hummingbird
import Synchronization

/// Every route's path and the methods it answers, filled as the routes are registered (the
/// one list of routes: registering through it is what adds a route), so that a known path
/// asked with another method is a 405 naming the methods it takes (``MethodGuard``).
final class RouteTable: Sendable {
    private let routes = Mutex<[(path: String, segments: [Substring], methods: Set<HTTPRequest.Method>)]>([])

    /// Registers `handler` for `method` on `path` (`{name}` segments match any segment).
    /// A GET route answers HEAD too (the router generates it).
    func add(
        _ method: HTTPRequest.Method, _ path: String, on router: Router<ServerRequestContext>,
        _ handler: @escaping @Sendable (Request, ServerRequestContext) async throws -> Response
    ) {
        router.on(RouterPath(path), method: method, use: handler)
        let segments = Self.segments(path)
        let added: Set<HTTPRequest.Method> = method == .get ? [.get, .head] : [method]
        routes.withLock { routes in
            if let index = routes.firstIndex(where: { $0.segments == segments }) {
                routes[index].methods.formUnion(added)
            } else {
                routes.append((path, segments, added))
            }
        }
    }

    /// Every registered path as it was registered (`/v1/models/{id}`) with the methods it
    /// answers, HEAD included, in registration order (what docs/openapi.json is checked against).
    var registered: [(path: String, methods: Set<HTTPRequest.Method>)] {
        routes.withLock { routes in routes.map { ($0.path, $0.methods) } }
    }

    /// The methods `path` answers, `nil` for a path with no route.
    func methods(for path: String) -> Set<HTTPRequest.Method>? {
        let segments = Self.segments(path)
        return routes.withLock { routes in
            routes.first { route in
                route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { $0.first == "{" || $0 == $1 }
            }?.methods
        }
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}

/// A known path asked with a method it does not answer: 405 with `Allow` and the JSON error
/// body, instead of the router's 404.
struct MethodGuard: RouterMiddleware {
    typealias Context = ServerRequestContext
    let table: RouteTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if let methods = table.methods(for: path), !methods.contains(request.method) {
            let allowed = methods.map(\.rawValue).sorted()
            throw ServerError(
                .methodNotAllowed(allowed: allowed),
                "\(request.method.rawValue) is not allowed on \(path); it answers \(allowed.joined(separator: ", "))")
        }
        return try await next(request, context)
    }
}
