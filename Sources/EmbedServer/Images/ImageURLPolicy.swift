public import Foundation

/// Whether `/v1/embeddings` fetches images given as http(s) URLs, and from where.
///
/// Off by default: a server that fetches what a request names can be made to reach hosts
/// its clients cannot (server-side request forgery). Turned on by naming the hosts; every
/// fetch (and every redirect) must go to one of them, within a timeout and the same byte
/// limit as an image sent in the body.
public struct ImageURLPolicy: Sendable, Equatable {
    /// Host names (or addresses) images may be fetched from: `images.example.com`, a
    /// `*.example.com` for its subdomains, `host:port` to pin a port, `*` for any host (then
    /// the server reaches whatever its clients name). Empty: fetching is off.
    public var allowedHosts: [String]
    /// How long one fetch may take, connection to last byte.
    public var timeout: Duration
    /// The most bytes one fetched image may have (the engine's `images.max_bytes`).
    public var maxBytes: Int
    /// How many redirects a fetch follows (each to an allowed host).
    public var maxRedirects: Int

    /// A policy; the default fetches nothing.
    public init(allowedHosts: [String] = [], timeout: Duration = .seconds(10), maxBytes: Int = 10 * 1024 * 1024, maxRedirects: Int = 3) {
        self.allowedHosts = allowedHosts
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
    }

    /// Whether any host is allowed.
    public var isEnabled: Bool { !allowedHosts.isEmpty }

    /// Whether `url` is http(s) on an allowed host (and port, when the entry names one).
    public func allows(_ url: URL) -> Bool {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host?.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]")), !host.isEmpty
        else { return false }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        return allowedHosts.contains { entry in
            if entry == "*" { return true }
            var name = Substring(entry.lowercased())
            var pinned: Int?
            if let colon = name.lastIndex(of: ":"), !name.hasSuffix("]"), let number = Int(name[name.index(after: colon)...]) {
                pinned = number
                name = name[..<colon]
            }
            if let pinned, pinned != port { return false }
            let bare = name.hasPrefix("[") && name.hasSuffix("]") ? name.dropFirst().dropLast() : name
            if bare.hasPrefix("*.") { return host.hasSuffix(bare.dropFirst(1)) }
            return host == bare
        }
    }

    /// The checks that need nothing else.
    func validate() throws(ServerError) {
        if let bad = allowedHosts.first(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) || $0.contains("/") }) {
            throw ServerError(
                .invalidConfiguration,
                "an image URL host must be a host name or address (optionally *.domain or host:port), got '\(bad)'")
        }
        guard timeout > .zero else { throw ServerError(.invalidConfiguration, "the image URL timeout must be positive") }
        guard maxBytes > 0 else { throw ServerError(.invalidConfiguration, "the image URL byte limit must be positive") }
        guard maxRedirects >= 0 else { throw ServerError(.invalidConfiguration, "the image URL redirect limit must not be negative") }
    }
}
