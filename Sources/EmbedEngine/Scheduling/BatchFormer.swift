/// Chooses which queued inputs run together in the next model batch.
///
/// The oldest queued input always goes in (nothing waits forever); the others are taken in
/// order of how close their length is to it (then shorter first, then by age), so that a
/// batch pads little,
/// while the batch stays under a cap on inputs and under a token budget that counts the
/// padded size: inputs × longest.
enum BatchFormer {
    /// The limits of one batch.
    struct Limits: Sendable, Equatable {
        /// The most inputs in one batch.
        var maxBatchSize: Int
        /// The most padded tokens (inputs × longest) in one batch.
        var maxBatchTokens: Int
    }

    /// Positions in `lengths` (queued inputs, oldest first) to run next, at least one when
    /// `lengths` is not empty. The first position is always 0.
    static func select(lengths: [Int], limits: Limits) -> [Int] {
        guard let first = lengths.first else { return [] }
        var chosen = [0]
        var longest = first
        guard lengths.count > 1, limits.maxBatchSize > 1 else { return chosen }
        let candidates = (1..<lengths.count).sorted { lhs, rhs in
            let left = abs(lengths[lhs] - first)
            let right = abs(lengths[rhs] - first)
            if left != right { return left < right }
            // Equally close: the shorter one does not raise the padded length.
            return lengths[lhs] != lengths[rhs] ? lengths[lhs] < lengths[rhs] : lhs < rhs
        }
        for candidate in candidates {
            let padded = max(longest, lengths[candidate])
            guard (chosen.count + 1) * padded <= limits.maxBatchTokens else { continue }
            chosen.append(candidate)
            longest = padded
            if chosen.count == limits.maxBatchSize { break }
        }
        return chosen
    }

    /// The padded tokens of a batch of inputs of `lengths`.
    static func paddedTokens(_ lengths: [Int]) -> Int {
        lengths.count * (lengths.max() ?? 0)
    }
}
