@testable import EmbedEngine
import EmbedTestSupport
import Testing

/// The pure parts of the scheduler: how batches are formed and the LRU cache.
struct SchedulingTests {
    typealias Limits = BatchFormer.Limits

    @Test func theOldestInputIsAlwaysTaken() {
        #expect(BatchFormer.select(lengths: [], limits: Limits(maxBatchSize: 4, maxBatchTokens: 100)) == [])
        #expect(BatchFormer.select(lengths: [300], limits: Limits(maxBatchSize: 4, maxBatchTokens: 100)) == [0])
        #expect(BatchFormer.select(lengths: [5, 5, 5], limits: Limits(maxBatchSize: 1, maxBatchTokens: 100)) == [0])
    }

    @Test func inputsOfSimilarLengthGoTogether() {
        // Oldest has 10 tokens: the 9, 11 and 12 go with it before the 100s and the 2.
        let lengths = [10, 100, 9, 2, 11, 100, 12]
        let chosen = BatchFormer.select(lengths: lengths, limits: Limits(maxBatchSize: 4, maxBatchTokens: 10_000))
        #expect(chosen == [0, 2, 4, 6])
        #expect(BatchFormer.paddedTokens(chosen.map { lengths[$0] }) == 48)
    }

    @Test func thePaddedTokenBudgetHolds() {
        let lengths = [50, 60, 40, 200, 45]
        let limits = Limits(maxBatchSize: 32, maxBatchTokens: 200)
        let chosen = BatchFormer.select(lengths: lengths, limits: limits)
        #expect(BatchFormer.paddedTokens(chosen.map { lengths[$0] }) <= 200)
        // 50, 45, 40 (3 × 50 = 150); adding 60 would make 4 × 60 = 240.
        #expect(chosen == [0, 4, 2])
        for _ in 0..<50 {
            let random = (0..<40).map { _ in Int.random(in: 1...256) }
            let limits = Limits(maxBatchSize: Int.random(in: 1...32), maxBatchTokens: Int.random(in: 256...4096))
            let picked = BatchFormer.select(lengths: random, limits: limits)
            #expect(picked.first == 0)
            #expect(Set(picked).count == picked.count, "no input twice")
            #expect(picked.count <= limits.maxBatchSize)
            #expect(BatchFormer.paddedTokens(picked.map { random[$0] }) <= limits.maxBatchTokens)
        }
    }

    func key(_ text: String) -> EmbeddingCache.Key {
        EmbeddingCache.Key(model: "m", input: .text(text), truncate: true, truncateLeft: false, normalize: true)
    }

    @Test func theCacheEvictsTheLeastRecentlyUsedByCount() {
        let cache = EmbeddingCache(.init(maxEntries: 2, maxBytes: 1 << 20))
        cache.insert(.init(vector: [1], tokenCount: 1), for: key("a"))
        cache.insert(.init(vector: [2], tokenCount: 1), for: key("b"))
        #expect(cache.value(for: key("a"))?.vector == [1])  // a is now the most recent
        cache.insert(.init(vector: [3], tokenCount: 1), for: key("c"))
        #expect(cache.value(for: key("b")) == nil, "b was the least recently used")
        #expect(cache.value(for: key("a"))?.vector == [1])
        #expect(cache.value(for: key("c"))?.vector == [3])
        #expect(cache.usage.entries == 2)
    }

    @Test func theCacheStaysUnderItsByteBound() {
        let vector = [Float](repeating: 0.5, count: 100)
        let one = EmbeddingCache.size(of: key("x0"), .init(vector: vector, tokenCount: 3))
        let cache = EmbeddingCache(.init(maxEntries: 1_000, maxBytes: one * 3))
        for index in 0..<10 { cache.insert(.init(vector: vector, tokenCount: 3), for: key("x\(index)")) }
        #expect(cache.usage.entries == 3)
        #expect(cache.usage.bytes <= one * 3)
        #expect(cache.value(for: key("x9")) != nil)
        #expect(cache.value(for: key("x0")) == nil)
    }

    @Test func optionsArePartOfTheKeyAndZeroTurnsTheCacheOff() {
        let cache = EmbeddingCache(.init())
        cache.insert(.init(vector: [1], tokenCount: 1), for: key("a"))
        var other = key("a")
        other.normalize = false
        #expect(cache.value(for: other) == nil)
        let off = EmbeddingCache(.init(maxEntries: 0, maxBytes: 0))
        off.insert(.init(vector: [1], tokenCount: 1), for: key("a"))
        #expect(off.value(for: key("a")) == nil)
    }

    @Test func theSchedulerChecksItsLimitsAgainstTheModel() async throws {
        let embedder = try await Embedder(
            .folder(TestPaths.fixture("tiny-model")), configuration: EmbedderConfiguration(engine: .hashing),
            logger: TestRuntime.logger)
        #expect(throws: EmbedError.self) {
            try EmbeddingScheduler(embedder: embedder, configuration: .init(maxBatchTokens: 0), logger: TestRuntime.logger)
        }
        #expect(throws: EmbedError.self) {
            try EmbeddingScheduler(embedder: embedder, configuration: .init(maxBatchSize: 0), logger: TestRuntime.logger)
        }
        #expect(throws: EmbedError.self) {
            try EmbeddingScheduler(embedder: embedder, configuration: .init(workers: 0), logger: TestRuntime.logger)
        }
        #expect(throws: EmbedError.self) {
            try EmbeddingScheduler(embedder: embedder, configuration: .init(maxPaddingRatio: 0.5), logger: TestRuntime.logger)
        }
    }

    @Test func theSchedulerMatchesTheEmbedderAndCountsCacheHits() async throws {
        let embedder = try await Embedder(
            .folder(TestPaths.fixture("tiny-model")), configuration: EmbedderConfiguration(engine: .hashing),
            logger: TestRuntime.logger)
        let scheduler = try EmbeddingScheduler(embedder: embedder, logger: TestRuntime.logger)
        let texts = ["one text", "another text", "one text"]
        let direct = try await embedder.embedWithDetails(texts)
        let first = try await scheduler.embed(texts.map { .text($0) })
        #expect(first.embeddings == direct.embeddings)
        #expect(first.tokenCounts == direct.tokenCounts)
        #expect(scheduler.cache.usage.entries == 2)
        let again = try await scheduler.embed([.text("one text")], options: .init(dimensions: 4))
        #expect(again.embeddings[0].count == 4)
        #expect(scheduler.status.inFlight == 0)
    }
}

/// The padding cap of batch forming.
struct PaddingCapTests {
    @Test func inputsThatWouldPadTooMuchWait() {
        // 100, 95, 90: padded 300 for 285 real. Adding the 10 would pad 400 for 295 real
        // (ratio 1.36), over the cap of 1.2, so the 10 waits.
        let lengths = [100, 10, 90, 95]
        let capped = BatchFormer.select(
            lengths: lengths, limits: .init(maxBatchSize: 8, maxBatchTokens: 10_000, maxPaddingRatio: 1.2))
        #expect(capped == [0, 3, 2])
        let uncapped = BatchFormer.select(lengths: lengths, limits: .init(maxBatchSize: 8, maxBatchTokens: 10_000))
        #expect(uncapped == [0, 3, 2, 1])
        for _ in 0..<50 {
            let random = (0..<40).map { _ in Int.random(in: 1...256) }
            let ratio = Double.random(in: 1...3)
            let picked = BatchFormer.select(
                lengths: random, limits: .init(maxBatchSize: 32, maxBatchTokens: 16_384, maxPaddingRatio: ratio))
            let chosen = picked.map { random[$0] }
            #expect(
                Double(BatchFormer.paddedTokens(chosen)) <= ratio * Double(chosen.reduce(0, +)) + 1e-9,
                "padding ratio \(ratio) holds")
        }
    }
}
