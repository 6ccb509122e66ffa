/// Cuts a list of texts into model batches.
enum BatchPlanner {
    /// The indices of the texts, in batches of at most `maxBatchSize` texts and, when
    /// `maxBatchTokens` is set, at most that many padded tokens (texts × longest), unless a
    /// single text is longer.
    ///
    /// With `sortByLength`, texts of similar token length share a batch (longest first),
    /// which keeps padding low; the caller puts results back in input order. The token budget
    /// keeps batches of long texts small: on a CPU, a batch of 32 texts of 256 tokens runs
    /// slower per text than batches of 8, because its attention matrices leave the caches.
    static func plan(lengths: [Int], maxBatchSize: Int, maxBatchTokens: Int? = nil, sortByLength: Bool) -> [[Int]] {
        precondition(maxBatchSize > 0, "maxBatchSize is validated when the embedder is created")
        var order = Array(lengths.indices)
        if sortByLength {
            // Stable: equal lengths keep their input order, so the plan is deterministic.
            order = order.enumerated().sorted { lhs, rhs in
                lengths[lhs.element] != lengths[rhs.element]
                    ? lengths[lhs.element] > lengths[rhs.element] : lhs.offset < rhs.offset
            }.map(\.element)
        }
        var batches: [[Int]] = []
        var current: [Int] = []
        var longest = 0
        for index in order {
            let length = max(lengths[index], longest)
            let fitsTokens = maxBatchTokens.map { (current.count + 1) * length <= $0 } ?? true
            if !current.isEmpty, current.count == maxBatchSize || !fitsTokens {
                batches.append(current)
                current = []
                longest = 0
            }
            current.append(index)
            longest = max(longest, lengths[index])
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}
