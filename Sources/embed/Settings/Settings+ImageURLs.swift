import EmbedCore
import EmbedServer

extension Settings {
    /// `embed serve`: images given to `/v1/embeddings` as http(s) URLs (off by default).
    struct ImageURLs: Equatable {
        /// The hosts images may be fetched from; empty: none (URLs are a 400).
        var hosts = ImageURLPolicy().allowedHosts
        /// Seconds one fetch may take.
        var timeout = ImageURLPolicy().timeout.inSeconds
    }

    /// The server's fetch policy; the byte limit is the engine's `images.max_bytes`.
    func imageURLPolicy() -> ImageURLPolicy {
        ImageURLPolicy(allowedHosts: imageURLs.hosts, timeout: .seconds(imageURLs.timeout), maxBytes: images.maxBytes)
    }
}

extension SettingKey {
    /// `embed serve`'s fetching of image URLs.
    static var imageURLKeys: [SettingKey] {
        [
            stringList(
                "server.image_url_hosts", \.imageURLs.hosts, type: "list of host names (*.domain, host:port) or *",
                help: "embed serve: the hosts whose http(s) image URLs /v1/embeddings fetches ({\"image\": \"https://...\"} items and modality image); *.example.com for its subdomains, host:port to pin a port, * for any host (the server then reaches whatever its clients name: keep it for trusted clients). Redirects must stay on these hosts; a fetch keeps at most images.max_bytes (more is a 413). Empty (the default): URLs are refused (400), so the server never reaches a host for a client.",
                refusing: { $0.isEmpty || $0.contains(where: \.isWhitespace) || $0.contains("/") },
                expected: "host names such as images.example.com, *.example.com, host:port, or *"),
            number("server.image_url_timeout", \.imageURLs.timeout, min: 0.001, help: "embed serve: seconds one image fetch may take, connection to last byte; then the request is a 400 naming the URL."),
        ]
    }
}
