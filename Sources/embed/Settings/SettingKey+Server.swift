import EmbedServer

extension SettingKey {
    /// `embed serve`.
    static var serverKeys: [SettingKey] {
        [
            string("server.host", \.server.host, help: "embed serve: the address to listen on."),
            int("server.port", \.server.port, min: 0, max: 65_535, help: "embed serve: the port to listen on (0: any free port)."),
            secret("server.api_key", \.server.apiKey, help: "embed serve: require 'Authorization: Bearer <key>' on every route but /health, /, /openapi.json and /docs."),
            optionalString("server.model_id", \.server.modelID, help: "embed serve: the name the model is served under (default: the model's id or folder name)."),
            servedModels,
            number("server.max_padding_ratio", \.server.maxPaddingRatio, min: 1, help: "embed serve: the most padded tokens per real token in one model run; longer inputs wait for a batch of their own length."),
            int("server.max_client_batch_size", \.server.maxClientBatchSize, min: 1, help: "embed serve: the most inputs in one request (more: 413)."),
            int("server.max_concurrent_requests", \.server.maxConcurrentRequests, min: 1, help: "embed serve: the most requests admitted at once (more: 429)."),
            int("server.payload_limit", \.server.payloadLimit, min: 1, help: "embed serve: the largest request body in bytes (more: 413)."),
            bool("server.truncate", \.server.truncate, help: "embed serve: cut inputs longer than the model's maximum when a request does not say; false refuses them (413)."),
            bool("server.refuse_empty_strings", \.server.refuseEmptyStrings, help: "embed serve: refuse empty strings as inputs (400) instead of embedding them."),
            choice("server.openai_token_ids", \.server.openAITokenIDs, OpenAITokenIDs.allCases, name: \.rawValue, help: "embed serve: what token-id arrays on /v1/embeddings are: cl100k_base (OpenAI's ids, as LangChain sends them: decoded to text, then embedded; refused with a 400 when no cl100k_base.tiktoken is found) or model (this model's own ids, as TEI's /embed takes them)."),
            optionalString("server.tiktoken_file", \.server.tiktokenFile, help: "embed serve: cl100k_base.tiktoken (default: the project's .cache/tiktoken, then tiktoken's own cache: TIKTOKEN_CACHE_DIR, DATA_GYM_CACHE_DIR, $TMPDIR/data-gym-cache)."),
            int("server.cache_entries", \.server.cacheEntries, min: 0, help: "embed serve: the most vectors kept in the LRU cache (0: no cache)."),
            int("server.cache_bytes", \.server.cacheBytes, min: 0, help: "embed serve: the most bytes of vectors kept in the LRU cache (0: no cache)."),
            int("server.max_tokenize_tokens", \.server.maxTokenizeTokens, min: 1, help: "embed serve: the most tokens one /tokenize request may produce (its answer is about 50 bytes a token); more is a 413."),
            corsAllowOrigins,
            allowedHosts,
            number("server.idle_timeout", \.server.idleTimeout, min: 0.001, help: "embed serve: seconds before a connection with no request in progress is closed (idle keep-alive, and clients that never finish their headers)."),
            number("server.body_timeout", \.server.bodyTimeout, min: 0.001, help: "embed serve: seconds a request body may take after its headers; then the connection is closed."),
            number("server.drain_timeout", \.server.drainTimeout, min: 0.001, help: "embed serve: on SIGTERM or SIGINT, seconds the requests in flight get to finish; then the remaining connections are closed and the process exits (keep it under Kubernetes' terminationGracePeriodSeconds minus the preStop sleep)."),
        ]
    }

    static var servedModels: SettingKey {
        stringList(
            "server.models", \.server.models, type: "list of [name=]model (folder, .onnx file or hub id)",
            help: "embed serve: more models served beside `model` (the default: TEI's routes and requests without `model` use it), each chosen by the `model` field of /v1/embeddings; the 2nd and later --model of embed serve set it (replacing the file's list). Each is served as name= if given, else as the model as given (hub id, folder name, .onnx file name); the default as server.model_id, else the same rule. A `model` the server does not serve is a 404 then; names must differ. They share the runtime, batching, cache and image settings; revision, tokenizer, onnx.model_path, max_length, normalize, pooling and the prompts apply to the default model only.",
            refusing: { item in
                let (name, model) = Settings.splitServedModel(item)
                return model.isEmpty || name?.isEmpty == true
            },
            expected: "a model or name=model, neither part empty")
    }

    static var corsAllowOrigins: SettingKey {
        stringList(
            "server.cors_allow_origins", \.server.corsAllowOrigins, type: "list of origins (scheme://host[:port]) or *",
            help: "embed serve: the origins whose cross-origin (browser) requests are allowed, * for any; empty: CORS off (no CORS headers). When set, preflight OPTIONS requests are answered and a request with another Origin is refused (403).",
            refusing: { $0 != "*" && !$0.contains("://") }, expected: "* or an origin such as https://example.com")
    }

    static var allowedHosts: SettingKey {
        stringList(
            "server.allowed_hosts", \.server.allowedHosts, type: "list of host names or addresses, or *",
            help: "embed serve: the Host names requests may carry, a guard against DNS rebinding (a web page reaching a server on this machine through a name it controls); * for any. Empty: localhost, 127.0.0.1, ::1 and the listen address when listening on loopback without an API key; any otherwise (with a key, such a page cannot authenticate). Others are refused (403).",
            refusing: { $0.isEmpty || $0.contains(where: \.isWhitespace) || $0.contains("/") },
            expected: "host names or addresses (without scheme or port) or *")
    }

    /// A list of strings, each checked: the first that `refusing` flags is an error saying
    /// what was `expected`.
    static func stringList(
        _ name: String, _ path: WritableKeyPath<Settings, [String]>, type: String, help: String,
        refusing: @escaping (String) -> Bool, expected: String
    ) -> SettingKey {
        SettingKey(name: name, type: type, help: help, isList: true) { (settings, value) throws(SettingsError) in
            let items = try list(value)
            if let bad = items.first(where: refusing) { throw SettingsError("expected \(expected), got '\(bad)'") }
            settings[keyPath: path] = items
        } render: { .list($0[keyPath: path]) }
    }
}
