@testable import embed
import EmbedRedis
import EmbedRedisCache
import Testing

/// `cache.redis.*`: off by default, one URL for three key spaces, per-tier servers, and
/// errors that name the key.
struct RedisCacheSettingsTests {
    func load(_ environment: [String: String]) throws -> SettingsLoader.Loaded {
        try SettingsLoader(environment: ["HOME": "/home/u"].merging(environment) { $1 }, configFile: nil, flags: []).load()
    }

    func error(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func offByDefault() throws {
        #expect(try load([:]).settings.redisCacheConfiguration() == nil)
    }

    @Test func oneServerThreeKeySpacesWithTheDefaultTTLs() throws {
        let loaded = try load(["EMBED_CACHE_REDIS_URL": "redis://cache:secret@10.0.0.5:6380/2", "EMBED_CACHE_REDIS_TIMEOUT": "0.05"])
        let configuration = try #require(try loaded.settings.redisCacheConfiguration())
        #expect(configuration.tiers.map(\.name) == ["hot", "warm", "cold"])
        #expect(configuration.tiers.map(\.ttl) == [.seconds(3600), .seconds(86_400), .seconds(604_800)])
        for tier in configuration.tiers {
            #expect(tier.redis.host == "10.0.0.5" && tier.redis.port == 6380 && tier.redis.database == 2)
            #expect(tier.redis.username == "cache" && tier.redis.password == "secret")
            #expect(tier.redis.commandTimeout == .milliseconds(50))
        }
        let shown = SettingsReport.yaml(loaded)
        #expect(shown.contains("redis://cache:***@10.0.0.5:6380/2"), "the password is hidden in --print")
        #expect(!shown.contains("secret"))
    }

    @Test func perTierServersPasswordAndTiers() throws {
        let loaded = try load([
            "EMBED_CACHE_REDIS_HOT_URL": "redis://hot:6379/0", "EMBED_CACHE_REDIS_WARM_URL": "redis://warm:6379/0",
            "EMBED_CACHE_REDIS_TIERS": "hot,warm", "EMBED_CACHE_REDIS_PASSWORD": "from-a-secret",
            "EMBED_CACHE_REDIS_WARM_TTL": "600", "EMBED_CACHE_REDIS_ELEMENT_TYPE": "f16",
        ])
        let configuration = try #require(try loaded.settings.redisCacheConfiguration())
        #expect(configuration.tiers.map(\.redis.host) == ["hot", "warm"])
        #expect(configuration.tiers.map(\.redis.password) == ["from-a-secret", "from-a-secret"])
        #expect(configuration.tiers[1].ttl == .seconds(600))
        #expect(configuration.elementType == .float16)
        #expect(!SettingsReport.yaml(loaded).contains("from-a-secret"))
    }

    @Test func errorsNameTheKey() throws {
        #expect(error { try load(["EMBED_CACHE_REDIS_URL": "http://x"]) }.contains("EMBED_CACHE_REDIS_URL"))
        #expect(error { try load(["EMBED_CACHE_REDIS_TIERS": "hot,lukewarm"]) }.contains("unknown tier 'lukewarm'"))
        #expect(error { try load(["EMBED_CACHE_REDIS_HOT_TTL": "0"]) }.contains("EMBED_CACHE_REDIS_HOT_TTL"))
        let onlyHot = try load(["EMBED_CACHE_REDIS_HOT_URL": "redis://hot:6379/0"])
        #expect(error { try onlyHot.settings.redisCacheConfiguration() as Any }.contains("cache.redis.warm_url: tier 'warm' has no server"))
    }
}
