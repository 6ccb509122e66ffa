import EmbedEngine
import EmbedRedis
import EmbedRedisCache
import NIOCore
import Testing

@Suite("The shared vector cache against a real redis-server", .enabled(if: RedisTestEnvironment.isRedisAvailable, RedisTestEnvironment.skipReason))
struct RedisCacheTests {
    @Test("a vector computed by one replica is a hot-tier hit for another, equal bit for bit")
    func sharedBetweenReplicas() async throws {
        try await RedisTestEnvironment.withServer { server, _ in
            let a = try await CacheReplica(.testing(server))
            let b = try await CacheReplica(.testing(server))
            let texts = ["red shoes", "blue shoes", "a green hat"]
            let first = try await a.embed(texts)
            #expect(a.computed == 3)
            try await a.writesDone()
            #expect(a.cache.statistics.tiers.map(\.writes) == [3, 3, 3])
            let second = try await b.embed(texts)
            #expect(b.computed == 0, "B's model ran for \(b.computed) inputs")
            #expect(second.map { $0.map(\.bitPattern) } == first.map { $0.map(\.bitPattern) })
            #expect(b.cache.statistics.tiers[0].hits == 3)
            // B's in-process cache now holds them: a third call does not go to Redis.
            _ = try await b.embed(texts)
            #expect(b.cache.statistics.tiers[0].hits == 3)
            #expect(b.embedder.cache.usage.entries == 3)
            // The offline policy (embed encode) uses neither cache.
            _ = try await b.embedder.embed(["not cached offline"])
            try await b.writesDone()
            #expect(b.cache.statistics.tiers[0].misses == 0)
            await a.shutdown()
            await b.shutdown()
        }
    }

    @Test("each tier's entries carry that tier's TTL")
    func ttlsPerTier() async throws {
        try await RedisTestEnvironment.withServer { server, client in
            let ttls = [100, 2000, 30000]
            let a = try await CacheReplica(.testing(server, ttls: ttls))
            _ = try await a.embed(["ttl text"])
            try await a.writesDone()
            for (tier, ttl) in zip(["hot", "warm", "cold"], ttls) {
                let left = try await client.pttl(a.key("ttl text", tier: tier))
                // Tolerance: 60 s below the TTL for a slow host; never above it.
                #expect(left > Int64(ttl - 60) * 1000 && left <= Int64(ttl) * 1000, "\(tier): \(left) ms left of \(ttl) s")
            }
            await a.shutdown()
        }
    }

    @Test("a hit in the cold tier is served and promoted to warm and hot with their TTLs")
    func promotion() async throws {
        try await RedisTestEnvironment.withServer { server, client in
            let a = try await CacheReplica(.testing(server, ttls: [100, 2000, 30000]))
            let vector = try await a.embed(["promote me"])
            try await a.writesDone()
            try await client.del([a.key("promote me", tier: "hot"), a.key("promote me", tier: "warm")])
            let b = try await CacheReplica(.testing(server, ttls: [100, 2000, 30000]))
            #expect(try await b.embed(["promote me"]) == vector)
            #expect(b.computed == 0)
            let tiers = b.cache.statistics.tiers
            #expect(tiers.map(\.hits) == [0, 0, 1] && tiers.map(\.misses) == [1, 1, 0], "\(tiers)")
            try await b.writesDone()
            let hot = try await client.pttl(b.key("promote me", tier: "hot"))
            let warm = try await client.pttl(b.key("promote me", tier: "warm"))
            #expect(hot > 40_000 && hot <= 100_000, "hot: \(hot) ms (TTL 100 s, 60 s tolerance)")
            #expect(warm > 1_940_000 && warm <= 2_000_000, "warm: \(warm) ms (TTL 2000 s, 60 s tolerance)")
            await a.shutdown()
            await b.shutdown()
        }
    }

    @Test("corrupt records are misses: counted, deleted, recomputed and rewritten, never served")
    func corruptRecords() async throws {
        try await RedisTestEnvironment.withServer { server, client in
            let a = try await CacheReplica(.testing(server))
            let vector = try await a.embed(["fragile"])
            _ = try await a.embed(["another text"])
            try await a.writesDone()
            let hot = a.key("fragile", tier: "hot")
            let warm = a.key("fragile", tier: "warm")
            let cold = a.key("fragile", tier: "cold")
            try await client.set(hot, ByteBuffer(string: "garbage"))
            var flipped = try #require(try await client.get(warm))
            flipped.setInteger(UInt8(0xff), at: flipped.writerIndex - 1)
            try await client.set(warm, flipped)
            // A valid record of another key: its checksum covers the key's digest.
            try await client.set(cold, try #require(try await client.get(a.key("another text", tier: "cold"))))
            let b = try await CacheReplica(.testing(server))
            #expect(try await b.embed(["fragile"]) == vector)
            #expect(b.computed == 1, "recomputed, not served from a bad record")
            #expect(b.cache.statistics.tiers.map(\.corrupt) == [1, 1, 1])
            try await b.writesDone()
            for key in [hot, warm, cold] {
                let record = try #require(try await client.get(key), "\(key) was rewritten")
                let digest = b.cache.model.digest(of: SharedCacheKey(input: .text("fragile"), prompt: nil, truncate: true, truncateLeft: false, normalize: true))
                #expect(VectorRecord.decode(record, dimension: 8, digest: digest)?.vector == vector[0])
            }
            await a.shutdown()
            await b.shutdown()
        }
    }
}

@Suite("The shared cache without the in-process one", .enabled(if: RedisTestEnvironment.isRedisAvailable, RedisTestEnvironment.skipReason))
struct RedisCacheWithoutLRUTests {
    @Test("with the in-process cache off (0 entries), every repeat is a Redis lookup and a hit")
    func sharedCacheAlone() async throws {
        try await RedisTestEnvironment.withServer { server, _ in
            let a = try await CacheReplica(.testing(server), inProcessEntries: 0)
            _ = try await a.embed(["once", "twice"])
            try await a.writesDone()
            _ = try await a.embed(["once", "twice"])
            #expect(a.computed == 2, "the repeat came from Redis")
            #expect(a.cache.statistics.tiers[0].hits == 2)
            #expect(a.embedder.cache.usage.entries == 0)
            await a.shutdown()
        }
    }
}
