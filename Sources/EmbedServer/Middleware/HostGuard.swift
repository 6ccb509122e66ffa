import Hummingbird

/// DNS rebinding: a page on `evil.example` whose name a DNS server later points at
/// `127.0.0.1` could reach a server on this machine from the user's browser. Browsers send
/// the page's name in `Host`, so the server answers only requests whose `Host` (without the
/// port) it expects (``ServerConfiguration/allowedHosts``). By default that is `localhost`,
/// `127.0.0.1`, `::1` and the listen address, when it listens on a loopback address without
/// an API key (with one, such a page cannot authenticate); listening elsewhere (behind a load
/// balancer, in a pod) or with a key, any. Others get a 403 naming the setting. A request
/// without `Host` (HTTP/1.0) passes: browsers always send one.
struct HostGuard: RouterMiddleware {
    typealias Context = ServerRequestContext
    let allowed: Set<String>

    /// The guard for `configuration`, or `nil` when every host is allowed.
    init?(_ configuration: ServerConfiguration) {
        let listed = configuration.allowedHosts.map { $0.lowercased() }
        if listed.contains("*") { return nil }
        if listed.isEmpty {
            guard Self.isLoopback(configuration.host), configuration.apiKey == nil else { return nil }
            allowed = ["localhost", "127.0.0.1", "::1", configuration.host.lowercased()]
        } else {
            allowed = Set(listed)
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// `Host` without its port (and without the brackets of an IPv6 address).
    static func name(_ header: String) -> String {
        var name = Substring(header.lowercased())
        if name.hasPrefix("[") {
            name = name.dropFirst().prefix { $0 != "]" }
        } else if let colon = name.lastIndex(of: ":") {
            name = name[..<colon]
        }
        return String(name.hasSuffix(".") ? name.dropLast() : name)
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let header = request.head.authority, !allowed.contains(Self.name(header)) {
            throw ServerError(
                .hostNotAllowed,
                "Host '\(header)' is not one this server answers (a guard against DNS rebinding); "
                    + "server.allowed_hosts lists the names it accepts (now: \(allowed.sorted().joined(separator: ", ")); * for any)")
        }
        return try await next(request, context)
    }
}
