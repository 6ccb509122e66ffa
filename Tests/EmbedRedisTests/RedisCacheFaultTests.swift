import EmbedEngine
import EmbedRedis
import EmbedRedisCache
import NIOCore
import Testing

@Suite("The shared vector cache when Redis misbehaves", .enabled(if: RedisTestEnvironment.isRedisAvailable, RedisTestEnvironment.skipReason))
struct RedisCacheFaultTests {
    @Test("another model (here: another maximum length) gets other keys: nothing is shared")
    func modelChangeInvalidates() async throws {
        try await RedisTestEnvironment.withServer { server, _ in
            let a = try await CacheReplica(.testing(server), maxLength: 64)
            let b = try await CacheReplica(.testing(server), maxLength: 32)
            #expect(a.cache.model != b.cache.model)
            _ = try await a.embed(["same text"])
            try await a.writesDone()
            _ = try await b.embed(["same text"])
            #expect(b.computed == 1)
            #expect(b.cache.statistics.hits == 0)
            #expect(a.key("same text", tier: "hot") != b.key("same text", tier: "hot"))
            await a.shutdown()
            await b.shutdown()
        }
    }

    @Test("AUTH: the right password shares vectors; a wrong one costs hits, never a request")
    func authentication() async throws {
        try await RedisTestEnvironment.withServer(.init(password: "s3cret"), configure: { $0.password = "s3cret" }) { server, _ in
            let a = try await CacheReplica(.testing(server) { $0.password = "s3cret" })
            _ = try await a.embed(["private"])
            try await a.writesDone()
            #expect(a.cache.statistics.tiers[0].writes == 1)
            let b = try await CacheReplica(.testing(server) { $0.password = "s3cret" })
            _ = try await b.embed(["private"])
            #expect(b.computed == 0)
            let wrong = try await CacheReplica(.testing(server) { $0.password = "wrong" })
            let vectors = try await wrong.embed(["private"])
            #expect(vectors.count == 1 && wrong.computed == 1)
            #expect(wrong.cache.statistics.tiers[0].errors >= 1)
            await a.shutdown()
            await b.shutdown()
            await wrong.shutdown()
        }
    }

    @Test("a request does not wait for cache writes (writes paused for 60 s)")
    func writesInBackground() async throws {
        try await RedisTestEnvironment.withServer { server, client in
            let a = try await CacheReplica(.testing(server) { $0.commandTimeout = .seconds(45) })
            _ = try await client.send(RedisCommand("CLIENT", ["PAUSE", "60000", "WRITE"]))
            let start = ContinuousClock.now
            _ = try await a.embed(["written later"])
            let elapsed = ContinuousClock.now - start
            // Bound: 30 s against a 60 s pause and a 45 s command timeout (a loaded CI host
            // once took 6 s for the request itself); a request that waited would take ≥ 45 s.
            #expect(elapsed < .seconds(30), "the request took \(elapsed)")
            #expect(a.cache.statistics.pendingWrites == 3, "exact: one entry for each of 3 tiers is waiting")
            _ = try await client.send(RedisCommand("CLIENT", ["UNPAUSE"]))
            try await a.writesDone()
            await a.shutdown()
        }
    }

    @Test("Redis killed and restarted under load: every request succeeds, and hits come back")
    func killedAndRestarted() async throws {
        try await RedisTestEnvironment.withServer { server, _ in
            let replica = try await CacheReplica(.testing(server) { $0.commandTimeout = .milliseconds(500) })
            let texts = (0..<40).map { "text \($0)" }
            // New texts in each phase, so that the in-process cache cannot answer for Redis.
            // Returns the requests that failed.
            @Sendable func load(_ phase: String) async -> Int {
                await withTaskGroup(of: Int.self) { group in
                    for worker in 0..<4 {
                        group.addTask {
                            var failed = 0
                            for round in 0..<30 {
                                let text = "\(phase) \(texts[(worker * 7 + round) % texts.count]) #\(round % 3)"
                                do { _ = try await replica.embedder.embed([.text(text)], policy: .online) } catch { failed += 1 }
                            }
                            return failed
                        }
                    }
                    return await group.reduce(0, +)
                }
            }
            var failures = await load("up")
            try await server.killAndWait()
            failures += await load("down")
            try await server.restart()
            try await Task.sleep(for: .milliseconds(500))
            let fresh = try await CacheReplica(.testing(server) { $0.commandTimeout = .milliseconds(500) })
            _ = try await fresh.embed(["after restart"])
            try await fresh.writesDone()
            let other = try await CacheReplica(.testing(server))
            _ = try await other.embed(["after restart"])
            #expect(failures == 0, "requests failed while Redis was down")
            #expect(replica.cache.statistics.tiers[0].errors > 0, "the outage was seen")
            #expect(other.computed == 0 && other.cache.statistics.tiers[0].hits == 1, "hits after the restart")
            await replica.shutdown()
            await fresh.shutdown()
            await other.shutdown()
        }
    }

    @Test("maxmemory reached (OOM replies): every request succeeds, failed writes are counted")
    func outOfMemory() async throws {
        try await RedisTestEnvironment.withServer(.init(maxMemory: "1mb")) { server, _ in
            // 4096 floats: 16 KiB a record, 48 KiB an input over three tiers.
            let replica = try await CacheReplica(.testing(server), dimension: 4096)
            for batch in 0..<10 {
                let vectors = try await replica.embed((0..<8).map { "big \(batch) \($0)" })
                #expect(vectors.count == 8)
                try await replica.writesDone()
            }
            let tiers = replica.cache.statistics.tiers
            #expect(tiers.reduce(0) { $0 + $1.errors } > 0, "OOM replies were counted: \(tiers)")
            #expect(tiers.reduce(0) { $0 + $1.writes } > 0, "some writes fitted: \(tiers)")
            await replica.shutdown()
        }
    }

    @Test("more writes waiting than maxPendingWrites are dropped and counted")
    func boundedWrites() async throws {
        try await RedisTestEnvironment.withServer { server, client in
            var configuration = RedisCacheConfiguration.testing(server)
            configuration.maxPendingWrites = 0
            let replica = try await CacheReplica(configuration)
            _ = try await replica.embed(["dropped"])
            #expect(replica.cache.statistics.writesDropped == 3)
            #expect(try await client.get(replica.key("dropped", tier: "hot")) == nil)
            await replica.shutdown()
        }
    }
}
