import EmbedEngine
import EmbedEngineTesting
import EmbedRedis
import EmbedRedisCache
import Logging
import Testing

/// One "replica" for the shared-cache tests: an embedder on a ``RecordingBackend`` (its
/// runs show what the model computed) with a Redis cache attached, and its own empty
/// in-process cache, as a second process would have.
struct CacheReplica: Sendable {
    let backend: RecordingBackend
    let embedder: Embedder
    let cache: RedisEmbeddingCache

    init(
        _ configuration: RedisCacheConfiguration, dimension: Int = 8, maxLength: Int = 64, inProcessEntries: Int = 10_000,
        logger: Logger = RedisTestEnvironment.logger
    ) async throws {
        backend = RecordingBackend(dimension: dimension)
        embedder = try Embedder(
            model: .testing(backend: backend, maxLength: maxLength), configuration: EmbedderConfiguration(cache: .init(maxEntries: inProcessEntries), engine: .hashing),
            logger: logger)
        cache = try await RedisEmbeddingCache.make(for: embedder, configuration: configuration, logger: logger)
        embedder.attach(sharedCache: cache)
    }

    /// Embeds `texts` as a server does (online policy: caches used).
    func embed(_ texts: [String]) async throws -> [[Float]] {
        try await embedder.embed(texts.map(EmbeddingInput.text), policy: .online).embeddings
    }

    /// The rows the model computed so far.
    var computed: Int { backend.runs.reduce(0) { $0 + $1.rows } }

    /// Waits until no write is waiting.
    func writesDone(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await eventually("the background writes finish", sourceLocation: sourceLocation) {
            cache.statistics.pendingWrites == 0
        }
    }

    /// The Redis key of `text` (default options) in `tier`.
    func key(_ text: String, tier: String, normalize: Bool = true) -> String {
        let key = SharedCacheKey(input: .text(text), prompt: nil, truncate: true, truncateLeft: false, normalize: normalize)
        return cache.key(tier: tier, digest: cache.model.digest(of: key))
    }

    func shutdown() async { await cache.shutdown() }
}

extension RedisCacheConfiguration {
    /// The three tiers on `server`, with generous timeouts and a short breaker cool-down.
    static func testing(
        _ server: RedisServerProcess, ttls: [Int] = [3600, 86_400, 604_800],
        _ change: (inout RedisConfiguration) -> Void = { _ in }
    ) -> RedisCacheConfiguration {
        let redis = RedisTestEnvironment.configuration(server) {
            $0.breakerCoolDown = .milliseconds(200)
            change(&$0)
        }
        return RedisCacheConfiguration(tiers: zip(["hot", "warm", "cold"], ttls).map {
            Tier(name: $0.0, redis: redis, ttl: .seconds($0.1))
        })
    }
}
