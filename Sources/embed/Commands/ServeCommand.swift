import ArgumentParser
import EmbedEngine
import EmbedCore
import EmbedORT
import EmbedRedisCache
import EmbedServer
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `embed serve`: the HTTP server (OpenAI and Text Embeddings Inference routes).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve embeddings over HTTP: OpenAI /v1/embeddings, TEI /embed, /tokenize, /info, /health, /metrics.",
        discussion: """
            Listens at once and loads the model; routes answer 503 until it is loaded. SIGINT or \
            SIGTERM stop accepting connections, finish the requests in flight and exit 0.
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var serve: ServeOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        if serve.modelID != nil, model.firstModelName != nil {
            throw ValidationError("name the first model once: --model-id or --model name=model, not both")
        }
        let prepared = try model.prepare(logging: logging, extra: serve.flagSettings(), serving: true)
        let logger = prepared.logger
        let configuration = try prepared.settings.serverConfiguration()
        let redisCache = try prepared.settings.redisCacheConfiguration()
        let models = try prepared.settings.servedModels(logger: logger, sources: prepared.loaded).map { served in
            let embedderConfiguration = try served.settings.embedderConfiguration(serving: true)
            return ServedModel(name: served.name) {
                let embedder = try await Embedder(served.source, configuration: embedderConfiguration, logger: logger)
                // A long-running process: give back what loading freed (~2 MB at idle, measured).
                NativeHeap.releaseFreeMemory()
                if let redisCache { try await Self.attachRedisCache(redisCache, to: embedder, logger: logger) }
                return embedder
            }
        }
        if models.count > 1 {
            logger.notice(
                "serving several models, chosen by the request's model field",
                metadata: ["models": "\(models.compactMap(\.name).joined(separator: ", "))", "default": "\(models[0].name ?? "-")"])
        }
        let registry = Self.bootstrapMetrics()
        let server = try EmbeddingServer(
            configuration: configuration, models: models, logger: logger, metrics: { registry.emitToString() })
        let idle = IdleMemoryRelease(hosts: server.hosts)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(service: server),
                .init(service: idle, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Past the drain, the server is cancelled: its remaining connections are closed.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.timeouts.drain
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
        logger.notice("stopped")
    }

    /// Puts the shared Redis cache behind `embedder`'s in-process cache. Connects nothing
    /// yet: a Redis that is down costs misses, not the start.
    static func attachRedisCache(_ configuration: RedisCacheConfiguration, to embedder: Embedder, logger: Logger) async throws {
        let cache = try await RedisEmbeddingCache.make(for: embedder, configuration: configuration, logger: logger)
        embedder.attach(sharedCache: cache)
        logger.notice("shared vector cache on Redis", metadata: [
            "tiers": "\(configuration.tiers.map { "\($0.name) \($0.redis) ttl \(Int($0.ttl.inSeconds)) s" }.joined(separator: ", "))",
            "model": "\(cache.model.shortHex)", "element_type": "\(configuration.elementType.rawValue)",
        ])
    }

    /// Prometheus behind swift-metrics, with buckets that suit embedding work.
    static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        var factory = PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        factory.valueHistogramBuckets = [
            "swift_embed_batch_size": [1, 2, 4, 8, 16, 32, 64, 128],
            "swift_embed_batch_padded_tokens": [64, 256, 1024, 2048, 4096, 8192, 16384, 32768],
        ]
        MetricsSystem.bootstrap(factory)
        return factory.registry
    }
}
