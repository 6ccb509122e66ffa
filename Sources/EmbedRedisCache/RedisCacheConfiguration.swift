public import EmbedRedis

/// How the shared vector cache uses Redis: its tiers (hot first), the key prefix, the
/// element type of stored vectors and the bound on writes waiting in the background.
/// Every field has a default; ``standard(_:)`` gives the usual three tiers on one server.
public struct RedisCacheConfiguration: Sendable, Equatable {
    /// How vectors are stored.
    public enum ElementType: String, Sendable, Equatable, CaseIterable {
        /// fp32 little-endian: the vector exactly as computed.
        case float32 = "f32"
        /// fp16 little-endian (round to nearest even): half the memory; the cosine against
        /// fp32 is measured by the tests (at least 0.9999 on model-sized vectors).
        case float16 = "f16"
    }

    /// One tier: where it lives and how long its entries last.
    public struct Tier: Sendable, Equatable {
        /// Its name, part of every key (`hot`, `warm`, `cold`).
        public var name: String
        /// The Redis server (tiers with equal configurations share one connection pool).
        public var redis: RedisConfiguration
        /// How long an entry lives in it (`SET … EX`).
        public var ttl: Duration

        /// Creates a tier.
        public init(name: String, redis: RedisConfiguration, ttl: Duration) {
            self.name = name
            self.redis = redis
            self.ttl = ttl
        }
    }

    /// The default time to live of the hot, warm and cold tiers: 1 h, 24 h, 7 d.
    public static let defaultTTLs: [(name: String, ttl: Duration)] = [
        ("hot", .seconds(3600)), ("warm", .seconds(86_400)), ("cold", .seconds(604_800)),
    ]

    /// The tiers, looked up in order; a hit in one is written to the tiers before it.
    public var tiers: [Tier]
    /// The first part of every key (`<prefix>:<tier>:<model>:<input>`). Default `swift-embed`.
    public var keyPrefix: String
    /// How vectors are written (either is read). Default ``ElementType/float32``.
    public var elementType: ElementType
    /// The most entries waiting to be written in the background; more are dropped and
    /// counted (a slow Redis never grows memory without bound). Default 8192.
    public var maxPendingWrites: Int

    /// Creates a configuration.
    public init(
        tiers: [Tier], keyPrefix: String = "swift-embed", elementType: ElementType = .float32,
        maxPendingWrites: Int = 8192
    ) {
        self.tiers = tiers
        self.keyPrefix = keyPrefix
        self.elementType = elementType
        self.maxPendingWrites = maxPendingWrites
    }

    /// Hot, warm and cold (1 h, 24 h, 7 d) as three key spaces of one server.
    public static func standard(_ redis: RedisConfiguration) -> RedisCacheConfiguration {
        RedisCacheConfiguration(tiers: defaultTTLs.map { Tier(name: $0.name, redis: redis, ttl: $0.ttl) })
    }

    /// Checks every field; the error names the first bad one.
    public func validate() throws(RedisError) {
        func bad(_ what: String) -> RedisError { RedisError(.invalidConfiguration, "Redis cache: \(what)") }
        if tiers.isEmpty { throw bad("no tier is configured") }
        var names: Set<String> = []
        for tier in tiers {
            if tier.name.isEmpty || tier.name.contains(where: { $0 == ":" || $0.isWhitespace }) {
                throw bad("tier name '\(tier.name)' must be non-empty, without ':' or spaces")
            }
            if !names.insert(tier.name).inserted { throw bad("tier '\(tier.name)' is configured twice") }
            if tier.ttl < .seconds(1) { throw bad("tier '\(tier.name)': ttl \(tier.ttl) is below 1 second") }
            try tier.redis.validate()
        }
        if keyPrefix.isEmpty || keyPrefix.contains(where: \.isWhitespace) {
            throw bad("key prefix '\(keyPrefix)' must be non-empty, without spaces")
        }
        if maxPendingWrites < 0 { throw bad("maxPendingWrites \(maxPendingWrites) is negative") }
    }
}
