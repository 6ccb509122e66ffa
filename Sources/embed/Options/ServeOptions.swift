import ArgumentParser

/// The flags of `embed serve`. Each sets one `server.*` (or `onnx.*`) configuration key over
/// the configuration file and the environment; ``Settings/serverConfiguration()`` is the one
/// place where the settings become a `ServerConfiguration`.
struct ServeOptions: ParsableArguments {
    @Option(
        name: [.long, .customLong("hostname")],
        help: SettingKey.flagHelp("The address to listen on (--hostname: TEI's name)", key: "server.host"))
    var host: String?

    @Option(name: .long, help: SettingKey.flagHelp("The port to listen on; 0: any free port", key: "server.port"))
    var port: Int?

    @Option(name: .long, help: "Require 'Authorization: Bearer <key>' on every route but /health, /, /openapi.json and /docs. [server.api_key]")
    var apiKey: String?

    @Option(name: .long, help: "The name the model is served under (default: the model's id or folder name). [server.model_id]")
    var modelID: String?

    @Option(name: .long, help: SettingKey.flagHelp("The most padded tokens per real token in one model run, at least 1", key: "server.max_padding_ratio"))
    var maxPaddingRatio: Double?

    @Option(name: .long, help: SettingKey.flagHelp("The most inputs in one request; more: 413", key: "server.max_client_batch_size"))
    var maxClientBatchSize: Int?

    @Option(name: .long, help: SettingKey.flagHelp("The most requests admitted at once; more: 429", key: "server.max_concurrent_requests"))
    var maxConcurrentRequests: Int?

    @Option(name: .long, help: SettingKey.flagHelp("The largest request body in bytes; more: 413", key: "server.payload_limit"))
    var payloadLimit: Int?

    @Flag(
        inversion: .prefixedNo,
        help: "Cut inputs longer than the model's maximum when a request does not say; --no-truncate refuses them with 413 (default: cut). [server.truncate]")
    var truncate: Bool?

    @Flag(name: .long, help: "TEI's name for --truncate. [server.truncate]")
    var autoTruncate = false

    @Flag(name: .long, help: "TEI's name for --log-format json. [log_format]")
    var jsonOutput = false

    @Flag(name: .long, help: "Refuse empty strings as inputs (400) instead of embedding them. [server.refuse_empty_strings]")
    var refuseEmptyStrings = false

    @Option(name: .long, help: SettingKey.flagHelp("The most vectors kept in the cache; 0: no cache", key: "server.cache_entries"))
    var cacheEntries: Int?

    @Option(name: .long, help: SettingKey.flagHelp("The most bytes kept in the cache; 0: no cache", key: "server.cache_bytes"))
    var cacheBytes: Int?

    @Flag(
        inversion: .prefixedNo,
        help: "ONNX Runtime's CPU memory arena and memory patterns (default for serve: off; with batches of ever-changing shapes they keep growing). [onnx.memory_arena]")
    var memoryArena: Bool?

    @Flag(
        inversion: .prefixedNo,
        help: "Let ONNX Runtime's threads spin between runs (default for serve: off; spinning takes CPU from the event loops and the tokenizer). [onnx.spinning]")
    var ortSpinning: Bool?

    func validate() throws {
        if autoTruncate, truncate == false {
            throw ValidationError("--auto-truncate and --no-truncate contradict each other")
        }
    }

    /// The flags given, as settings.
    func flagSettings() -> [SettingsLoader.Flag] {
        var flags: [SettingsLoader.Flag] = []
        func add(_ key: String, _ value: String?, _ flag: String) {
            guard let value else { return }
            flags.append(.init(key: key, value: .scalar(value), flag: flag))
        }
        add("server.host", host, "--host")
        add("server.port", port.map(String.init), "--port")
        add("server.api_key", apiKey, "--api-key")
        add("server.model_id", modelID, "--model-id")
        add("server.max_padding_ratio", maxPaddingRatio.map { String($0) }, "--max-padding-ratio")
        add("server.max_client_batch_size", maxClientBatchSize.map(String.init), "--max-client-batch-size")
        add("server.max_concurrent_requests", maxConcurrentRequests.map(String.init), "--max-concurrent-requests")
        add("server.payload_limit", payloadLimit.map(String.init), "--payload-limit")
        add("server.truncate", truncate.map { String($0) }, truncate == false ? "--no-truncate" : "--truncate")
        if autoTruncate { add("server.truncate", "true", "--auto-truncate") }
        if jsonOutput { add("log_format", "json", "--json-output") }
        if refuseEmptyStrings { add("server.refuse_empty_strings", "true", "--refuse-empty-strings") }
        add("server.cache_entries", cacheEntries.map(String.init), "--cache-entries")
        add("server.cache_bytes", cacheBytes.map(String.init), "--cache-bytes")
        add("onnx.memory_arena", memoryArena.map { String($0) }, memoryArena == false ? "--no-memory-arena" : "--memory-arena")
        add("onnx.spinning", ortSpinning.map { String($0) }, ortSpinning == false ? "--no-ort-spinning" : "--ort-spinning")
        return flags
    }
}
