/// Reusable memory for the Unigram lattice.
struct UnigramScratch {
    fileprivate var scores: [Double] = []
    fileprivate var starts: [Int32] = []
    fileprivate var ids: [Int32] = []
    fileprivate var path: [(id: Int32, range: Range<Int>)] = []

    init() {}
}

extension Unigram {
    /// Appends the tokens of `scalars[piece]` (ids and ranges of `scalars`).
    func tokenize(
        _ scalars: [UInt32], piece: Range<Int>, into tokens: inout [(id: Int, range: Range<Int>)],
        scratch: inout UnigramScratch
    ) {
        let length = piece.count
        let base = piece.lowerBound
        scratch.scores.removeAll(keepingCapacity: true)
        scratch.starts.removeAll(keepingCapacity: true)
        scratch.ids.removeAll(keepingCapacity: true)
        scratch.scores.append(contentsOf: repeatElement(0, count: length + 1))
        scratch.starts.append(contentsOf: repeatElement(-1, count: length + 1))
        scratch.ids.append(contentsOf: repeatElement(0, count: length + 1))
        let unknownScore = minScore - Self.unknownPenalty
        for start in 0..<length {
            let scoreSoFar = scratch.scores[start]
            var hasSingle = false
            var node = ScalarTrie.root
            var end = start
            while end < length, let next = trie.child(node, scalars[base + end]) {
                node = next
                end += 1
                let id = trie.value(node)
                guard id >= 0 else { continue }
                let candidate = scores[Int(id)] + scoreSoFar
                if scratch.starts[end] < 0 || candidate > scratch.scores[end] {
                    scratch.scores[end] = candidate
                    scratch.starts[end] = Int32(start)
                    scratch.ids[end] = id
                }
                if end == start + 1 { hasSingle = true }
            }
            if !hasSingle {
                let candidate = unknownScore + scoreSoFar
                if scratch.starts[start + 1] < 0 || candidate > scratch.scores[start + 1] {
                    scratch.scores[start + 1] = candidate
                    scratch.starts[start + 1] = Int32(start)
                    scratch.ids[start + 1] = Int32(unknownId)
                }
            }
        }
        // Back from the end; consecutive unknown nodes are fused.
        scratch.path.removeAll(keepingCapacity: true)
        var end = length
        var fusedEnd: Int?
        while end > 0 {
            let start = Int(scratch.starts[end])
            let id = scratch.ids[end]
            if Int(id) == unknownId {
                if fusedEnd == nil { fusedEnd = end }
            } else {
                if let fused = fusedEnd {
                    scratch.path.append((Int32(unknownId), (base + end)..<(base + fused)))
                    fusedEnd = nil
                }
                scratch.path.append((id, (base + start)..<(base + end)))
            }
            end = start
        }
        if let fused = fusedEnd { scratch.path.append((Int32(unknownId), base..<(base + fused))) }
        for (id, range) in scratch.path.reversed() {
            guard Int(id) == unknownId else {
                tokens.append((Int(id), range))
                continue
            }
            // A fused unknown run may spell an entry; else its bytes, else the unknown token.
            if let known = self.id(of: scalars, range) {
                tokens.append((known, range))
            } else if !byteFallback || !appendBytes(scalars, range, to: &tokens) {
                tokens.append((unknownId, range))
            }
        }
    }

    /// The `<0xNN>` tokens of the UTF-8 bytes of `scalars[range]`, each covering the whole
    /// range, if all exist.
    private func appendBytes(_ scalars: [UInt32], _ range: Range<Int>, to tokens: inout [(id: Int, range: Range<Int>)]) -> Bool {
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        for index in range {
            let count = Precompiled.encode(scalars[index], into: &bytes)
            for byte in [bytes.0, bytes.1, bytes.2, bytes.3].prefix(count) where byteIds[Int(byte)] < 0 { return false }
        }
        for index in range {
            let count = Precompiled.encode(scalars[index], into: &bytes)
            for byte in [bytes.0, bytes.1, bytes.2, bytes.3].prefix(count) { tokens.append((Int(byteIds[Int(byte)]), range)) }
        }
        return true
    }
}
