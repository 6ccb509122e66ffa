extension AddedVocabulary {
    /// Leftmost-longest matching of a set of token texts, with the `single_word`, `lstrip`
    /// and `rstrip` rules.
    struct Matcher: Sendable {
        private var trie = ScalarTrie()
        private var entries: [Entry] = []
        /// ASCII first characters of the tokens, for a quick "cannot start here" test.
        private var asciiStarts = [Bool](repeating: false, count: 128)
        private var hasNonASCIIStart = false

        var isEmpty: Bool { entries.isEmpty }

        /// Adds a token; an earlier token with the same text keeps precedence.
        mutating func add(_ scalars: [UInt32], _ entry: Entry) {
            guard let first = scalars.first else { return }
            if let node = trie.node(for: scalars), trie.value(node) >= 0 { return }
            trie.insert(scalars, value: Int32(entries.count))
            entries.append(entry)
            if first < 128 { asciiStarts[Int(first)] = true } else { hasNonASCIIStart = true }
        }

        /// Appends the segments of `scalars[range]`, in order, covering the range; empty
        /// text between tokens is left out.
        func split(_ scalars: [UInt32], _ range: Range<Int>, into segments: inout [Segment]) {
            guard !entries.isEmpty else {
                if !range.isEmpty { segments.append(.text(range)) }
                return
            }
            var textStart = range.lowerBound
            var index = range.lowerBound
            while index < range.upperBound {
                let scalar = scalars[index]
                let mayStart = scalar < 128 ? asciiStarts[Int(scalar)] : hasNonASCIIStart
                guard mayStart, let (entryIndex, end) = longestMatch(scalars, from: index, limit: range.upperBound) else {
                    index += 1
                    continue
                }
                // Matching goes on after this match whether or not the token is kept.
                let matchStart = index
                index = end
                let entry = entries[entryIndex]
                if entry.singleWord {
                    let wordBefore = matchStart > range.lowerBound
                        && UnicodeProperties.wordCharacter.contains(scalars[matchStart - 1])
                    let wordAfter = end < range.upperBound && UnicodeProperties.wordCharacter.contains(scalars[end])
                    if wordBefore || wordAfter { continue }
                }
                var start = matchStart
                var stop = end
                if entry.lstrip {
                    while start > textStart && UnicodeProperties.isWhitespace(scalars[start - 1]) { start -= 1 }
                }
                if entry.rstrip {
                    while stop < range.upperBound && UnicodeProperties.isWhitespace(scalars[stop]) { stop += 1 }
                }
                if textStart < start { segments.append(.text(textStart..<start)) }
                segments.append(.added(id: entry.id, range: start..<stop))
                textStart = stop
                index = max(index, stop)
            }
            if textStart < range.upperBound { segments.append(.text(textStart..<range.upperBound)) }
        }

        private func longestMatch(_ scalars: [UInt32], from start: Int, limit: Int) -> (entry: Int, end: Int)? {
            var node = ScalarTrie.root
            var best: (entry: Int, end: Int)?
            var index = start
            while index < limit, let next = trie.child(node, scalars[index]) {
                node = next
                index += 1
                let value = trie.value(node)
                if value >= 0 { best = (Int(value), index) }
            }
            return best
        }
    }
}
