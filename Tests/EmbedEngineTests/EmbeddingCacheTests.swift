@testable import EmbedEngine
import Testing

/// The LRU vector cache.
struct EmbeddingCacheTests {
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
        #expect(throws: EmbedError.self) { try EmbeddingCache.Configuration(maxEntries: -1).validate() }
    }
}
