import ArgumentParser
import EmbedEngine
import EmbedORT
import EmbedServer
import Logging

/// The flags of `embed serve`. ``serverConfiguration(maxBatchSize:)`` is the one place where
/// they become a ``ServerConfiguration`` (a configuration file will feed the same struct).
struct ServeOptions: ParsableArguments {
    @Option(name: .long, help: "The address to listen on.")
    var host: String = ServerConfiguration().host

    @Option(name: .long, help: "The port to listen on (0: any free port).")
    var port: Int = ServerConfiguration().port

    @Option(name: .long, help: "Require 'Authorization: Bearer <key>' on every route but /health.")
    var apiKey: String?

    @Option(name: .long, help: "The name the model is served under (default: the model folder's name).")
    var modelID: String?

    @Option(name: .long, help: "The most padded tokens (texts × longest) in one model run.")
    var maxBatchTokens: Int = SchedulerConfiguration().maxBatchTokens

    @Option(name: .long, help: "The most padded tokens per real token in one model run (at least 1).")
    var maxPaddingRatio: Double = SchedulerConfiguration().maxPaddingRatio

    @Option(name: .long, help: "Model runs at once, each on its own thread (pair with --threads: cores ÷ workers).")
    var workers: Int = SchedulerConfiguration().workers

    @Option(name: .long, help: "The most inputs in one request (more: 413).")
    var maxClientBatchSize: Int = ServerConfiguration().maxClientBatchSize

    @Option(name: .long, help: "The most requests admitted at once (more: 429).")
    var maxConcurrentRequests: Int = SchedulerConfiguration().maxConcurrentRequests

    @Option(name: .long, help: "The largest request body in bytes (more: 413).")
    var payloadLimit: Int = ServerConfiguration().payloadLimit

    @Flag(
        inversion: .prefixedNo,
        help: "Cut inputs longer than the model's maximum when a request does not say (--no-truncate: refuse them with 413).")
    var truncate: Bool = ServerConfiguration().truncateByDefault

    @Flag(name: .long, help: "Refuse empty strings as inputs (400) instead of embedding them.")
    var refuseEmptyStrings: Bool = false

    @Option(name: .long, help: "The most vectors kept in the cache (0: no cache).")
    var cacheEntries: Int = EmbeddingCache.Configuration().maxEntries

    @Option(name: .long, help: "The most bytes kept in the cache (0: no cache).")
    var cacheBytes: Int = EmbeddingCache.Configuration().maxBytes

    @Flag(
        inversion: .prefixedNo,
        help: """
            ONNX Runtime's CPU memory arena and memory patterns. Off by default for the server: with \
            batches of changing shapes the arena holds its peak memory instead of giving it back \
            (measured with all-MiniLM-L6-v2 at 64 connections: about 15% more throughput, 630 MB held).
            """)
    var memoryArena: Bool = false

    @Flag(
        inversion: .prefixedNo,
        help: """
            Let ONNX Runtime's threads spin between runs. Off by default for the server: spinning \
            takes CPU from the event loops and the tokenizer, and from other processes.
            """)
    var ortSpinning: Bool = false

    @Option(name: .long, help: "A configuration file (not supported yet).")
    var config: String?

    @Option(name: .long, help: "Log level: trace, debug, info (one line per request), notice, warning, error, critical.")
    var logLevel: LogLevelArgument = .init(.info)

    func validate() throws {
        if let config {
            throw ValidationError("--config \(config): configuration files are not supported yet; use the flags")
        }
        guard maxBatchTokens >= 1 else { throw ValidationError("--max-batch-tokens must be at least 1, got \(maxBatchTokens)") }
        guard maxPaddingRatio >= 1 else { throw ValidationError("--max-padding-ratio must be at least 1, got \(maxPaddingRatio)") }
        guard maxConcurrentRequests >= 1 else {
            throw ValidationError("--max-concurrent-requests must be at least 1, got \(maxConcurrentRequests)")
        }
        guard cacheEntries >= 0, cacheBytes >= 0 else {
            throw ValidationError("--cache-entries and --cache-bytes must not be negative")
        }
    }

    /// `configuration` with the server's ONNX Runtime settings (memory arena, spinning).
    func embedderConfiguration(_ configuration: EmbedderConfiguration) -> EmbedderConfiguration {
        var configuration = configuration
        configuration.session.memoryArena = memoryArena
        configuration.session.memoryPattern = memoryArena
        configuration.session.configEntries["session.intra_op.allow_spinning"] = ortSpinning ? "1" : "0"
        return configuration
    }

    /// The server configuration these flags describe; `maxBatchSize` is the model's batch size
    /// (`--batch-size`).
    func serverConfiguration(maxBatchSize: Int) throws -> ServerConfiguration {
        let configuration = ServerConfiguration(
            host: host, port: port, apiKey: apiKey, modelID: modelID, maxClientBatchSize: maxClientBatchSize,
            payloadLimit: payloadLimit, truncateByDefault: truncate, refuseEmptyStrings: refuseEmptyStrings,
            scheduler: SchedulerConfiguration(
                maxBatchTokens: maxBatchTokens, maxBatchSize: maxBatchSize, maxPaddingRatio: maxPaddingRatio,
                maxConcurrentRequests: maxConcurrentRequests, workers: workers,
                cache: .init(maxEntries: cacheEntries, maxBytes: cacheBytes)))
        do {
            try configuration.validate()
        } catch {
            throw ValidationError(error.message)
        }
        return configuration
    }
}
