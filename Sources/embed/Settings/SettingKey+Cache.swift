import EmbedRedis
import EmbedRedisCache

extension SettingKey {
    /// `embed serve`: the shared vector cache on Redis.
    static var cacheKeys: [SettingKey] {
        [
            redisURL("cache.redis.url", \.redisCache.url, help: "embed serve: the Redis server of the shared vector cache, redis://[user:password@]host:port/db or rediss:// for TLS; every tier without its own URL uses it as its own key space (null: no shared cache)."),
            redisURL("cache.redis.hot_url", \.redisCache.hotURL, help: "embed serve: the hot tier's own Redis server (default: cache.redis.url)."),
            redisURL("cache.redis.warm_url", \.redisCache.warmURL, help: "embed serve: the warm tier's own Redis server (default: cache.redis.url)."),
            redisURL("cache.redis.cold_url", \.redisCache.coldURL, help: "embed serve: the cold tier's own Redis server (default: cache.redis.url)."),
            secret("cache.redis.password", \.redisCache.password, help: "embed serve: the password of Redis servers whose URL gives none (e.g. from a Secret as EMBED_CACHE_REDIS_PASSWORD)."),
            tierList,
            number("cache.redis.hot_ttl", \.redisCache.hotTTL, min: 1, help: "embed serve: seconds an entry lives in the hot tier."),
            number("cache.redis.warm_ttl", \.redisCache.warmTTL, min: 1, help: "embed serve: seconds an entry lives in the warm tier."),
            number("cache.redis.cold_ttl", \.redisCache.coldTTL, min: 1, help: "embed serve: seconds an entry lives in the cold tier."),
            number("cache.redis.timeout", \.redisCache.timeout, min: 0.001, help: "embed serve: seconds a Redis command (or one pipeline) may take; then it counts as a miss (or an unwritten entry)."),
            number("cache.redis.connect_timeout", \.redisCache.connectTimeout, min: 0.001, help: "embed serve: seconds a connection to Redis, and each handshake command, may take."),
            int("cache.redis.pool_size", \.redisCache.poolSize, min: 1, help: "embed serve: the most connections to each Redis server."),
            string("cache.redis.key_prefix", \.redisCache.keyPrefix, help: "embed serve: the first part of every key (<prefix>:<tier>:<model>:<input>)."),
            choice("cache.redis.element_type", \.redisCache.elementType, RedisCacheConfiguration.ElementType.allCases, name: \.rawValue, help: "embed serve: how vectors are stored: f32 (exact) or f16 (half the memory; worst cosine against f32 0.9999986 on 1,000 384-d vectors)."),
            int("cache.redis.max_pending_writes", \.redisCache.maxPendingWrites, min: 0, help: "embed serve: the most entries waiting to be written to Redis; more are dropped and counted (a slow Redis never grows memory)."),
        ]
    }

    /// A Redis URL, checked when it is set; shown with its password hidden.
    static func redisURL(_ name: String, _ path: WritableKeyPath<Settings, String?>, help: String) -> SettingKey {
        SettingKey(name: name, type: "redis:// or rediss:// URL, or null", help: help, isList: false) {
            (settings, value) throws(SettingsError) in
            guard value != .null else {
                settings[keyPath: path] = nil
                return
            }
            let url = try scalar(value)
            do throws(RedisError) { _ = try RedisConfiguration(url: url) } catch { throw SettingsError(error.message) }
            settings[keyPath: path] = url
        } render: { settings in
            guard let url = settings[keyPath: path] else { return .null }
            return .scalar((try? RedisConfiguration(url: url))?.description ?? "<invalid>")
        }
    }

    static var tierList: SettingKey {
        let names = RedisCacheConfiguration.defaultTTLs.map(\.name)
        return SettingKey(
            name: "cache.redis.tiers", type: "list of hot, warm, cold",
            help: "embed serve: the tiers used, looked up in this order; a hit in a later one is written to those before it.",
            isList: true
        ) { (settings, value) throws(SettingsError) in
            var tiers: [String] = []
            for item in try list(value) {
                guard names.contains(item.lowercased()) else {
                    throw SettingsError("unknown tier '\(item)': expected hot, warm or cold")
                }
                if !tiers.contains(item.lowercased()) { tiers.append(item.lowercased()) }
            }
            guard !tiers.isEmpty else { throw SettingsError("expected at least one of hot, warm, cold") }
            settings.redisCache.tiers = tiers
        } render: { .list($0.redisCache.tiers) }
    }
}
