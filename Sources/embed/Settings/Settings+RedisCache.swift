import EmbedCore
import EmbedRedis
import EmbedRedisCache

extension Settings {
    /// `embed serve`: the shared vector cache on Redis (off while ``url`` and every tier's
    /// own URL are `nil`); defaults from ``RedisCacheConfiguration`` and ``RedisConfiguration``.
    struct RedisCache: Equatable {
        /// The server of every tier without a URL of its own.
        var url: String?
        var hotURL: String?
        var warmURL: String?
        var coldURL: String?
        /// The password of servers whose URL gives none (a Kubernetes Secret, say).
        var password: String?
        /// The tiers used, in lookup order.
        var tiers = RedisCacheConfiguration.defaultTTLs.map(\.name)
        var hotTTL = RedisCacheConfiguration.defaultTTLs[0].ttl.inSeconds
        var warmTTL = RedisCacheConfiguration.defaultTTLs[1].ttl.inSeconds
        var coldTTL = RedisCacheConfiguration.defaultTTLs[2].ttl.inSeconds
        var timeout = RedisConfiguration().commandTimeout.inSeconds
        var connectTimeout = RedisConfiguration().connectTimeout.inSeconds
        var poolSize = RedisConfiguration().poolSize
        var keyPrefix = RedisCacheConfiguration(tiers: []).keyPrefix
        var elementType = RedisCacheConfiguration(tiers: []).elementType
        var maxPendingWrites = RedisCacheConfiguration(tiers: []).maxPendingWrites

        /// Whether any tier has a server.
        var isEnabled: Bool { [url, hotURL, warmURL, coldURL].contains { $0 != nil } }

        /// The tier's own URL, else ``url``.
        func url(of tier: String) -> String? {
            switch tier {
            case "hot": hotURL ?? url
            case "warm": warmURL ?? url
            default: coldURL ?? url
            }
        }

        func ttl(of tier: String) -> Double {
            switch tier {
            case "hot": hotTTL
            case "warm": warmTTL
            default: coldTTL
            }
        }
    }

    /// The cache's configuration, or `nil` when it is off. Throws, naming the key, for a
    /// tier without a server or a bad URL.
    func redisCacheConfiguration() throws -> RedisCacheConfiguration? {
        guard redisCache.isEnabled else { return nil }
        var tiers: [RedisCacheConfiguration.Tier] = []
        for name in redisCache.tiers {
            guard let url = redisCache.url(of: name) else {
                throw SettingsError("cache.redis.\(name)_url: tier '\(name)' has no server (set cache.redis.url or cache.redis.\(name)_url)")
            }
            let base = RedisConfiguration(
                poolSize: redisCache.poolSize,
                commandTimeout: .seconds(redisCache.timeout), connectTimeout: .seconds(redisCache.connectTimeout))
            var redis: RedisConfiguration
            do throws(RedisError) { redis = try RedisConfiguration(url: url, base: base) } catch {
                throw SettingsError("cache.redis.\(redisCache.url(of: name) == redisCache.url ? "url" : "\(name)_url"): \(error.message)")
            }
            if redis.password == nil { redis.password = redisCache.password }
            tiers.append(.init(name: name, redis: redis, ttl: .seconds(redisCache.ttl(of: name))))
        }
        let configuration = RedisCacheConfiguration(
            tiers: tiers, keyPrefix: redisCache.keyPrefix, elementType: redisCache.elementType,
            maxPendingWrites: redisCache.maxPendingWrites)
        do throws(RedisError) { try configuration.validate() } catch { throw SettingsError("cache.redis: \(error.message)") }
        return configuration
    }
}
