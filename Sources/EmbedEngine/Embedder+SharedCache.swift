import EmbedCore
import EmbedTokenizers
import Synchronization

extension Embedder {
    /// Puts `sharedCache` behind the in-process cache for online requests (a server's):
    /// inputs the in-process cache misses are looked up there, its hits fill the in-process
    /// cache, and what the model computes is handed to it. Replaces any cache attached before;
    /// `nil` detaches it. Requests already running keep the one they started with.
    public func attach(sharedCache: (any SharedEmbeddingCache)?) {
        sharedCacheSlot.withLock { $0 = sharedCache }
    }

    /// The shared cache attached, if any.
    public var sharedCache: (any SharedEmbeddingCache)? {
        sharedCacheSlot.withLock { $0 }
    }

    /// The shared cache's key of `input` under `plan`.
    func sharedKey(_ input: EmbeddingInput, plan: RequestPlan) -> SharedCacheKey {
        SharedCacheKey(
            input: input, prompt: plan.prompt, truncate: plan.options.truncate,
            truncateLeft: plan.options.truncationDirection == .left, normalize: plan.normalize)
    }

    /// Fills `vectors` and `counts` from the shared cache for the inputs at `misses`
    /// (and the in-process cache with what it finds); returns the indices still missing.
    /// An entry of the wrong size is ignored (the cache checks its records; this guards a
    /// cache of one's own).
    func lookUpShared(
        _ shared: any SharedEmbeddingCache, inputs: [EmbeddingInput], misses: [Int], plan: RequestPlan,
        keys: [EmbeddingCache.Key], vectors: inout [[Float]], counts: inout [Int]
    ) async -> [Int] {
        let found = await shared.lookup(misses.map { sharedKey(inputs[$0], plan: plan) })
        var remaining: [Int] = []
        for (position, index) in misses.enumerated() {
            guard position < found.count, let entry = found[position], entry.vector.count == info.dimension else {
                remaining.append(index)
                continue
            }
            vectors[index] = entry.vector
            counts[index] = entry.tokenCount
            cache.insert(.init(vector: entry.vector, tokenCount: entry.tokenCount), for: keys[index])
        }
        return remaining
    }
}
