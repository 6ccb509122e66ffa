/// What a split does with the parts a pattern matched (`behavior` in `tokenizer.json`).
enum SplitBehavior: String, Sendable, Equatable, Decodable {
    /// Matches are dropped.
    case removed = "Removed"
    /// Matches are pieces of their own.
    case isolated = "Isolated"
    /// A match joins the piece before it.
    case mergedWithPrevious = "MergedWithPrevious"
    /// A match joins the piece after it.
    case mergedWithNext = "MergedWithNext"
    /// Consecutive matches form one piece.
    case contiguous = "Contiguous"

    /// Appends the non-empty pieces that `splits` (covering a piece, in order) give with
    /// this behaviour, as `NormalizedString::split` computes them.
    func apply(_ splits: [Split], into pieces: inout [Range<Int>]) {
        switch self {
        case .isolated:
            for split in splits where !split.range.isEmpty { pieces.append(split.range) }
        case .removed:
            for split in splits where !split.isMatch && !split.range.isEmpty { pieces.append(split.range) }
        case .contiguous:
            var merged: [Range<Int>] = []
            var previousMatch = false
            for split in splits {
                if split.isMatch == previousMatch, let last = merged.last {
                    merged[merged.count - 1] = last.lowerBound..<split.range.upperBound
                } else {
                    merged.append(split.range)
                }
                previousMatch = split.isMatch
            }
            for range in merged where !range.isEmpty { pieces.append(range) }
        case .mergedWithPrevious:
            var merged: [Range<Int>] = []
            var previousMatch = false
            for split in splits {
                if split.isMatch && !previousMatch, let last = merged.last {
                    merged[merged.count - 1] = last.lowerBound..<split.range.upperBound
                } else {
                    merged.append(split.range)
                }
                previousMatch = split.isMatch
            }
            for range in merged where !range.isEmpty { pieces.append(range) }
        case .mergedWithNext:
            var merged: [Range<Int>] = []
            var previousMatch = false
            for split in splits.reversed() {
                if split.isMatch && !previousMatch, let last = merged.last {
                    merged[merged.count - 1] = split.range.lowerBound..<last.upperBound
                } else {
                    merged.append(split.range)
                }
                previousMatch = split.isMatch
            }
            for range in merged.reversed() where !range.isEmpty { pieces.append(range) }
        }
    }
}
