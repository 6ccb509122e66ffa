/// How inputs are grouped into model runs: the one batch former, with two policies.
public enum BatchPolicy: String, Sendable, Hashable, CaseIterable {
    /// The whole request at once, as `embed encode` and ``Embedder/embed(_:options:)`` want
    /// it: its inputs sorted by length (longest first) and cut into batches under the size
    /// cap and the token budget before any runs. One-shot: not looked up in the vector cache.
    case offline
    /// Dynamic batching across concurrent requests, as a server wants it: whenever a worker
    /// is free, the oldest queued input and the queued inputs closest to its length run
    /// together, under the size cap, the token budget and the padding cap. Looked up in and
    /// added to the vector cache.
    case online
}

/// Chooses which inputs run together, from their padded lengths.
struct BatchFormer: Sendable {
    let configuration: BatchingConfiguration

    /// Offline: the positions of `lengths` in batches of at most ``BatchingConfiguration/maxBatchSize``
    /// inputs and at most ``BatchingConfiguration/maxBatchTokens`` padded tokens (inputs ×
    /// longest), unless a single input is longer. With ``BatchingConfiguration/sortByLength``,
    /// inputs of similar length share a batch (longest first), which keeps padding low; the
    /// caller puts results back in input order. The token budget keeps batches of long texts
    /// small: on a CPU, a batch of 32 texts of 256 tokens runs slower per text than batches of
    /// 8, because its attention matrices leave the caches.
    func plan(lengths: [Int]) -> [[Int]] {
        var order = Array(lengths.indices)
        if configuration.sortByLength {
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
            let fitsTokens = (current.count + 1) * length <= configuration.maxBatchTokens
            if !current.isEmpty, current.count == configuration.maxBatchSize || !fitsTokens {
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

    /// Online: positions in `lengths` (queued inputs, oldest first) to run next, at least one
    /// when `lengths` is not empty; the first is always 0, so nothing waits forever: an input
    /// waits at most for the inputs queued before it.
    ///
    /// The others are taken in order of how close their length is to the oldest one's (then
    /// shorter first, then by age) while the batch stays under the size cap, the token budget
    /// and the padding cap (padded tokens ÷ real tokens). An input that would pad the batch too
    /// much waits for a batch of its own length: on a CPU, running padding costs more than
    /// running a smaller batch.
    func select(lengths: [Int]) -> [Int] {
        guard let first = lengths.first else { return [] }
        var chosen = [0]
        var longest = first
        var real = first
        guard lengths.count > 1, configuration.maxBatchSize > 1 else { return chosen }
        let candidates = (1..<lengths.count).sorted { lhs, rhs in
            let left = abs(lengths[lhs] - first)
            let right = abs(lengths[rhs] - first)
            if left != right { return left < right }
            // Equally close: the shorter one does not raise the padded length.
            return lengths[lhs] != lengths[rhs] ? lengths[lhs] < lengths[rhs] : lhs < rhs
        }
        for candidate in candidates {
            let padded = max(longest, lengths[candidate])
            let total = (chosen.count + 1) * padded
            guard total <= configuration.maxBatchTokens,
                Double(total) <= configuration.maxPaddingRatio * Double(real + lengths[candidate])
            else { continue }
            chosen.append(candidate)
            longest = padded
            real += lengths[candidate]
            if chosen.count == configuration.maxBatchSize { break }
        }
        return chosen
    }

    /// The padded tokens of a batch of inputs of `lengths`.
    static func paddedTokens(_ lengths: [Int]) -> Int {
        lengths.count * (lengths.max() ?? 0)
    }
}
