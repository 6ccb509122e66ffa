import EmbedServer

extension SettingKey {
    /// `embed serve`.
    static var serverKeys: [SettingKey] {
        [
            string("server.host", \.server.host, help: "embed serve: the address to listen on."),
            int("server.port", \.server.port, min: 0, max: 65_535, help: "embed serve: the port to listen on (0: any free port)."),
            secret("server.api_key", \.server.apiKey, help: "embed serve: require 'Authorization: Bearer <key>' on every route but /health, /, /openapi.json and /docs."),
            optionalString("server.model_id", \.server.modelID, help: "embed serve: the name the model is served under (default: the model's id or folder name)."),
            number("server.max_padding_ratio", \.server.maxPaddingRatio, min: 1, help: "embed serve: the most padded tokens per real token in one model run; longer inputs wait for a batch of their own length."),
            int("server.max_client_batch_size", \.server.maxClientBatchSize, min: 1, help: "embed serve: the most inputs in one request (more: 413)."),
            int("server.max_concurrent_requests", \.server.maxConcurrentRequests, min: 1, help: "embed serve: the most requests admitted at once (more: 429)."),
            int("server.payload_limit", \.server.payloadLimit, min: 1, help: "embed serve: the largest request body in bytes (more: 413)."),
            bool("server.truncate", \.server.truncate, help: "embed serve: cut inputs longer than the model's maximum when a request does not say; false refuses them (413)."),
            bool("server.refuse_empty_strings", \.server.refuseEmptyStrings, help: "embed serve: refuse empty strings as inputs (400) instead of embedding them."),
            choice("server.openai_token_ids", \.server.openAITokenIDs, OpenAITokenIDs.allCases, name: \.rawValue, help: "embed serve: what token-id arrays on /v1/embeddings are: cl100k_base (OpenAI's ids, as LangChain sends them: decoded to text, then embedded; refused with a 400 when no cl100k_base.tiktoken is found) or model (this model's own ids, as TEI's /embed takes them)."),
            optionalString("server.tiktoken_file", \.server.tiktokenFile, help: "embed serve: cl100k_base.tiktoken (default: the project's .cache/tiktoken, then tiktoken's own cache: TIKTOKEN_CACHE_DIR, DATA_GYM_CACHE_DIR, $TMPDIR/data-gym-cache)."),
            int("server.cache_entries", \.server.cacheEntries, min: 0, help: "embed serve: the most vectors kept in the LRU cache (0: no cache)."),
            corsAllowOrigins,
            int("server.cache_bytes", \.server.cacheBytes, min: 0, help: "embed serve: the most bytes of vectors kept in the LRU cache (0: no cache)."),
            number("server.idle_timeout", \.server.idleTimeout, min: 0.001, help: "embed serve: seconds before a connection with no request in progress is closed (idle keep-alive, and clients that never finish their headers)."),
            number("server.body_timeout", \.server.bodyTimeout, min: 0.001, help: "embed serve: seconds a request body may take after its headers; then the connection is closed."),
            number("server.drain_timeout", \.server.drainTimeout, min: 0.001, help: "embed serve: on SIGTERM or SIGINT, seconds the requests in flight get to finish; then the remaining connections are closed and the process exits (keep it under Kubernetes' terminationGracePeriodSeconds minus the preStop sleep)."),
        ]
    }

    static var corsAllowOrigins: SettingKey {
        SettingKey(
            name: "server.cors_allow_origins", type: "list of origins (scheme://host[:port]) or *",
            help: "embed serve: the origins whose cross-origin (browser) requests are allowed, * for any; empty: CORS off (no CORS headers). When set, preflight OPTIONS requests are answered and a request with another Origin is refused (403).",
            isList: true
        ) { (settings, value) throws(SettingsError) in
            let origins = try list(value)
            if let bad = origins.first(where: { $0 != "*" && !$0.contains("://") }) {
                throw SettingsError("expected * or an origin such as https://example.com, got '\(bad)'")
            }
            settings.server.corsAllowOrigins = origins
        } render: { .list($0.server.corsAllowOrigins) }
    }
}
