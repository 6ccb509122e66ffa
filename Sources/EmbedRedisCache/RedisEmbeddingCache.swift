public import EmbedEngine
public import EmbedRedis
public import Logging
public import NIOCore
public import NIOPosix
import Synchronization

/// The shared vector cache on Redis: tiers (hot → warm → cold), each a key space with its
/// own time to live, on one server or one each. Attach it with
/// ``EmbedEngine/Embedder/attach(sharedCache:)``.
///
/// A lookup asks each tier in turn with one `MGET` per 256 keys for what the tiers before it
/// missed; a hit in a later tier is written back to the earlier ones (promotion). What the
/// model computes is written to every tier (`SET … EX` in pipelines of 128) in the
/// background. Faults are misses: a Redis that is down, slow, full (`OOM`), restarted or
/// flushed costs model time, never a failed request; each tier's client has its own
/// circuit breaker, which logs every state change. A record that fails its checks (see
/// ``VectorRecord``) is counted, deleted and never served; the lookup waits for that `DEL`
/// (rare, and bounded by the command timeout) so that it cannot remove the record the
/// model's result is about to write.
public final class RedisEmbeddingCache: SharedEmbeddingCache {
    /// The configuration in effect.
    public let configuration: RedisCacheConfiguration
    /// The model whose vectors this cache holds.
    public let model: ModelIdentity
    /// The size of the vectors (records of another size are refused).
    public let dimension: Int

    struct TierClient: Sendable {
        let name: String
        let ttlSeconds: Int
        let client: RedisClient
        let metrics: RedisCacheMetrics.Tier
    }

    let tiers: [TierClient]
    private let clients: [RedisClient]
    let metrics: RedisCacheMetrics
    let counts: Mutex<RedisCacheStatistics>
    let logger: Logger

    static let readChunk = 256
    static let writeChunk = 128

    /// A cache of `dimension`-sized vectors of the model `model` (see ``make(for:configuration:eventLoopGroup:logger:)``
    /// to derive both from a loaded embedder). Connects nothing yet; throws
    /// `invalidConfiguration` for a bad field.
    public init(
        configuration: RedisCacheConfiguration, model: ModelIdentity, dimension: Int,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) throws(RedisError) {
        try configuration.validate()
        guard dimension > 0 else { throw RedisError(.invalidConfiguration, "Redis cache: dimension \(dimension) is not positive") }
        self.configuration = configuration
        self.model = model
        self.dimension = dimension
        self.logger = logger
        var clients: [(RedisConfiguration, RedisClient)] = []
        var tiers: [TierClient] = []
        for tier in configuration.tiers {
            let client: RedisClient
            if let shared = clients.first(where: { $0.0 == tier.redis }) {
                client = shared.1
            } else {
                client = try RedisClient(configuration: tier.redis, eventLoopGroup: eventLoopGroup, logger: logger)
                clients.append((tier.redis, client))
            }
            tiers.append(TierClient(
                name: tier.name, ttlSeconds: Int(tier.ttl.components.seconds), client: client,
                metrics: RedisCacheMetrics.Tier(tier.name)))
        }
        self.tiers = tiers
        self.clients = clients.map(\.1)
        metrics = RedisCacheMetrics()
        counts = Mutex(RedisCacheStatistics(tiers: tiers.map { .init(name: $0.name) }))
    }

    /// A cache for `embedder`'s model: its ``ModelIdentity`` (the files are read off Swift's
    /// cooperative pool) and its dimension.
    public static func make(
        for embedder: Embedder, configuration: RedisCacheConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) async throws -> RedisEmbeddingCache {
        let identity = try await ModelIdentity.of(embedder.info)
        return try RedisEmbeddingCache(
            configuration: configuration, model: identity, dimension: embedder.info.dimension,
            eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// The counts so far.
    public var statistics: RedisCacheStatistics { counts.withLock { $0 } }

    /// The breaker state of each tier's client, in tier order.
    public var breakerStates: [(tier: String, state: RedisBreakerState)] {
        tiers.map { ($0.name, $0.client.breakerState) }
    }

    /// The Redis key of `digest` in `tier` (`<prefix>:<tier>:<model>:<input digest>`).
    public func key(tier: String, digest: [UInt8]) -> String {
        "\(configuration.keyPrefix):\(tier):\(model.shortHex):\(Hex.string(digest))"
    }

    /// Closes every connection; writes still waiting are dropped. Calls afterwards are misses.
    public func shutdown() async {
        for client in clients { await client.shutdown() }
    }

    public func lookup(_ keys: [SharedCacheKey]) async -> [SharedCacheEntry?] {
        let digests = keys.map(model.digest(of:))
        var found = [SharedCacheEntry?](repeating: nil, count: keys.count)
        var pending = Array(keys.indices)
        var promotions: [Write] = []
        for (position, tier) in tiers.enumerated() where !pending.isEmpty {
            let names = pending.map { key(tier: tier.name, digest: digests[$0]) }
            guard let values = await read(names, from: tier, position: position) else { continue }
            var remaining: [Int] = []
            var corrupt: [String] = []
            for (offset, index) in pending.enumerated() {
                guard let record = values[offset] else {
                    remaining.append(index)
                    continue
                }
                switch VectorRecord.check(record, dimension: dimension, digest: digests[index]) {
                case .success(let value):
                    found[index] = SharedCacheEntry(vector: value.vector, tokenCount: value.tokenCount)
                    for earlier in 0..<position {
                        promotions.append(Write(tier: earlier, key: key(tier: tiers[earlier].name, digest: digests[index]), record: record))
                    }
                case .failure(let problem):
                    logger.debug("Redis cache: a record was refused and is deleted", metadata: [
                        "redis.tier": "\(tier.name)", "redis.key": "\(names[offset])", "redis.problem": "\(problem)",
                    ])
                    corrupt.append(names[offset])
                    remaining.append(index)
                }
            }
            record(tier: position, hits: pending.count - remaining.count, misses: remaining.count, corrupt: corrupt.count)
            if !corrupt.isEmpty { await delete(corrupt, from: position) }
            pending = remaining
        }
        if !promotions.isEmpty { enqueue(promotions) }
        return found
    }

    public func store(_ entries: [(key: SharedCacheKey, entry: SharedCacheEntry)]) {
        var writes: [Write] = []
        writes.reserveCapacity(entries.count * tiers.count)
        for (key, entry) in entries where entry.vector.count == dimension {
            let digest = model.digest(of: key)
            let record = VectorRecord.encode(
                entry.vector, tokenCount: entry.tokenCount, digest: digest, as: configuration.elementType)
            for (position, tier) in tiers.enumerated() {
                writes.append(Write(tier: position, key: self.key(tier: tier.name, digest: digest), record: record))
            }
        }
        if !writes.isEmpty { enqueue(writes) }
    }
}

/// Lowercase hexadecimal.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func string(_ bytes: [UInt8]) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
