/// Cuts a list of texts into model batches.
enum BatchPlanner {
    /// The indices of the texts, in batches of at most `maxBatchSize`.
    ///
    /// With `sortByLength`, texts of similar token length share a batch (longest first),
    /// which keeps padding low; the caller puts results back in input order.
    static func plan(lengths: [Int], maxBatchSize: Int, sortByLength: Bool) -> [[Int]] {
        precondition(maxBatchSize > 0, "maxBatchSize is validated when the embedder is created")
        var order = Array(lengths.indices)
        if sortByLength {
            // Stable: equal lengths keep their input order, so the plan is deterministic.
            order = order.enumerated().sorted { lhs, rhs in
                lengths[lhs.element] != lengths[rhs.element]
                    ? lengths[lhs.element] > lengths[rhs.element] : lhs.offset < rhs.offset
            }.map(\.element)
        }
        return stride(from: 0, to: order.count, by: maxBatchSize).map {
            Array(order[$0..<min($0 + maxBatchSize, order.count)])
        }
    }
}
