
/// How the server listens and what it accepts. Every field has a default; `embed serve` fills
/// it from its settings. How requests are batched is the embedder's concern
/// (``EmbedEngine/BatchingConfiguration``).
public struct ServerConfiguration: Sendable, Equatable {
    /// The address to listen on.
    public var host: String
    /// The port to listen on (0: any free port).
    public var port: Int
    /// When set, every route but `GET`/`HEAD` `/health`, `/`, `/openapi.json` and `/docs` needs
    /// `Authorization: Bearer <apiKey>`.
    public var apiKey: String?
    /// The name the model is served under (`model` in responses, `/v1/models`); `nil` uses the
    /// model's own name.
    public var modelID: String?
    /// The most inputs in one request; more is a 413. OpenAI allows 2,048 (LangChain sends up
    /// to 1,000, chromadb every document at once); the engine cuts them into batches and the
    /// token budget bounds the memory of each run.
    public var maxClientBatchSize: Int
    /// The most bytes in a request body; more is a 413.
    public var payloadLimit: Int
    /// Whether inputs longer than the model's maximum are cut when a request does not say
    /// (`true`, as sentence-transformers does); when `false` they are a 413.
    public var truncateByDefault: Bool
    /// Whether an empty string as input is refused (400) instead of embedded.
    public var refuseEmptyStrings: Bool
    /// What token-id arrays on `/v1/embeddings` are: OpenAI's `cl100k_base` ids (decoded to
    /// text, as LangChain sends them) or the model's own. TEI's `/embed` always takes model ids.
    public var openAITokenIDs: OpenAITokenIDs
    /// Where `cl100k_base.tiktoken` is found, for ``openAITokenIDs`` `cl100k`.
    public var tiktoken: TiktokenFileSearch
    /// How long clients may take, and the drain at shutdown.
    public var timeouts: ServerTimeouts
    /// The origins whose cross-origin (browser) requests are allowed, `*` for any; empty:
    /// CORS off (no CORS headers, `Origin` ignored). When set, a request with another
    /// `Origin` is a 403 (``CORSGuard``).
    public var corsAllowOrigins: [String]
    /// The `Host` names requests may carry (``HostGuard``, against DNS rebinding), `*` for
    /// any; empty: loopback names only when listening on loopback without an API key, any
    /// otherwise.
    public var allowedHosts: [String]
    /// The most tokens one `/tokenize` request may produce (its answer is about 50 bytes a
    /// token); more is a 413. Default 131,072 (about 6.5 MB of JSON).
    public var maxTokenizeTokens: Int
    /// How `/v1/embeddings` fuses `{"text", "image"}` pairs when a request does not say, and
    /// the projection fused vectors go through; default: no fusion without the request's.
    public var fusion: ServerFusion
    /// Whether and from where `/v1/embeddings` fetches images given as http(s) URLs; default
    /// off (URLs are a 400).
    public var imageURLs: ImageURLPolicy

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        apiKey: String? = nil,
        modelID: String? = nil,
        maxClientBatchSize: Int = 2048,
        payloadLimit: Int = 2 << 20,
        truncateByDefault: Bool = true,
        refuseEmptyStrings: Bool = false,
        openAITokenIDs: OpenAITokenIDs = .cl100k,
        tiktoken: TiktokenFileSearch = .init(),
        timeouts: ServerTimeouts = .init(),
        corsAllowOrigins: [String] = [],
        allowedHosts: [String] = [],
        maxTokenizeTokens: Int = 131_072,
        fusion: ServerFusion = .init(),
        imageURLs: ImageURLPolicy = .init()
    ) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.modelID = modelID
        self.maxClientBatchSize = maxClientBatchSize
        self.payloadLimit = payloadLimit
        self.truncateByDefault = truncateByDefault
        self.refuseEmptyStrings = refuseEmptyStrings
        self.openAITokenIDs = openAITokenIDs
        self.tiktoken = tiktoken
        self.timeouts = timeouts
        self.corsAllowOrigins = corsAllowOrigins
        self.allowedHosts = allowedHosts
        self.maxTokenizeTokens = maxTokenizeTokens
        self.fusion = fusion
        self.imageURLs = imageURLs
    }

    /// Checks the values that the engine does not check itself.
    public func validate() throws(ServerError) {
        guard (0...65_535).contains(port) else {
            throw ServerError(.invalidConfiguration, "port must be between 0 and 65535, got \(port)")
        }
        guard maxClientBatchSize >= 1 else {
            throw ServerError(.invalidConfiguration, "max client batch size must be at least 1, got \(maxClientBatchSize)")
        }
        guard payloadLimit >= 1 else {
            throw ServerError(.invalidConfiguration, "payload limit must be at least 1 byte, got \(payloadLimit)")
        }
        guard maxTokenizeTokens >= 1 else {
            throw ServerError(.invalidConfiguration, "the /tokenize token limit must be at least 1, got \(maxTokenizeTokens)")
        }
        if let host = allowedHosts.first(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
            throw ServerError(.invalidConfiguration, "allowed host '\(host)' must be a name or address without spaces")
        }
        try timeouts.validate()
        try fusion.validate()
        try imageURLs.validate()
        if let origin = corsAllowOrigins.first(where: { $0.isEmpty || ($0 != "*" && !$0.contains("://")) }) {
            throw ServerError(
                .invalidConfiguration,
                "CORS origin '\(origin)' must be '*' or a scheme and host such as https://example.com")
        }
        if let apiKey, apiKey.isEmpty {
            throw ServerError(.invalidConfiguration, "the API key must not be empty")
        }
    }
}
