/// Reusable memory for BPE merges.
struct BPEScratch {
    fileprivate var symbols: [BPESymbol] = []
    /// A min-heap of candidate merges, ordered by rank then position.
    fileprivate var heap: [BPEMerge] = []

    init() {}
}

/// A symbol of a word being merged: its id, the range of the piece it covers and its
/// neighbours (-1 at the ends); `removed` once merged into its left neighbour.
private struct BPESymbol {
    var id: Int32
    var start: Int32
    var end: Int32
    var previous: Int32
    var next: Int32
    var removed: Bool
}

private struct BPEMerge {
    var rank: UInt32
    var position: Int32
    var newId: Int32

    @inline(__always)
    static func < (lhs: BPEMerge, rhs: BPEMerge) -> Bool {
        lhs.rank != rhs.rank ? lhs.rank < rhs.rank : lhs.position < rhs.position
    }
}

extension BPE {
    /// Appends the tokens of `scalars[piece]` (ids and ranges of `scalars`).
    func tokenize(
        _ scalars: [UInt32], piece: Range<Int>, into tokens: inout [(id: Int, range: Range<Int>)], scratch: inout BPEScratch
    ) {
        if ignoreMerges, let id = wholePieceId(scalars, piece) {
            tokens.append((id, piece))
            return
        }
        scratch.symbols.removeAll(keepingCapacity: true)
        var unknown: (start: Int, end: Int)?
        for index in piece {
            let id = symbolId(scalars[index], first: index == piece.lowerBound, last: index == piece.upperBound - 1)
            if id >= 0 {
                if let pending = unknown {
                    add(Int32(unknownId ?? 0), pending.start..<pending.end, to: &scratch.symbols)
                    unknown = nil
                }
                add(id, index..<(index + 1), to: &scratch.symbols)
                continue
            }
            if byteFallback, addBytes(of: scalars[index], at: index, to: &scratch.symbols) { continue }
            guard unknownId != nil else { continue }  // Without an unknown token the character is dropped.
            if let pending = unknown {
                if fuseUnknown {
                    unknown = (pending.start, index + 1)
                } else {
                    add(Int32(unknownId ?? 0), pending.start..<pending.end, to: &scratch.symbols)
                    unknown = (index, index + 1)
                }
            } else {
                unknown = (index, index + 1)
            }
        }
        if let pending = unknown { add(Int32(unknownId ?? 0), pending.start..<pending.end, to: &scratch.symbols) }
        mergeAll(&scratch)
        for symbol in scratch.symbols where !symbol.removed {
            tokens.append((Int(symbol.id), Int(symbol.start)..<Int(symbol.end)))
        }
    }

    /// The id of the whole piece when it is a vocabulary entry.
    private func wholePieceId(_ scalars: [UInt32], _ piece: Range<Int>) -> Int? {
        var node = ScalarTrie.root
        for index in piece {
            guard let next = trie.child(node, scalars[index]) else { return nil }
            node = next
        }
        let id = trie.value(node)
        return id >= 0 ? Int(id) : nil
    }

    /// The `<0xNN>` tokens of the character's UTF-8 bytes, if all exist.
    private func addBytes(of scalar: UInt32, at index: Int, to symbols: inout [BPESymbol]) -> Bool {
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let count = Precompiled.encode(scalar, into: &bytes)
        let all = [bytes.0, bytes.1, bytes.2, bytes.3].prefix(count)
        guard all.allSatisfy({ byteIds[Int($0)] >= 0 }) else { return false }
        for byte in all { add(byteIds[Int(byte)], index..<(index + 1), to: &symbols) }
        return true
    }

    @inline(__always)
    private func add(_ id: Int32, _ range: Range<Int>, to symbols: inout [BPESymbol]) {
        let count = Int32(symbols.count)
        if count > 0 { symbols[Int(count) - 1].next = count }
        symbols.append(
            BPESymbol(
                id: id, start: Int32(range.lowerBound), end: Int32(range.upperBound), previous: count - 1, next: -1,
                removed: false))
    }

    @inline(__always)
    private func merge(_ left: Int32, _ right: Int32) -> (rank: UInt32, id: Int32)? {
        guard let value = merges[UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))] else {
            return nil
        }
        return (UInt32(value >> 32), Int32(truncatingIfNeeded: value & 0xFFFF_FFFF))
    }

    /// The library's `merge_all`: repeatedly applies the best-ranked merge (leftmost on
    /// ties), skipping queue entries made stale by earlier merges.
    private func mergeAll(_ scratch: inout BPEScratch) {
        guard scratch.symbols.count > 1 else { return }
        scratch.heap.removeAll(keepingCapacity: true)
        for position in 0..<(scratch.symbols.count - 1) {
            if let found = merge(scratch.symbols[position].id, scratch.symbols[position + 1].id) {
                push(BPEMerge(rank: found.rank, position: Int32(position), newId: found.id), &scratch.heap)
            }
        }
        while let top = pop(&scratch.heap) {
            let position = Int(top.position)
            let symbol = scratch.symbols[position]
            guard !symbol.removed, symbol.next >= 0 else { continue }
            let rightIndex = Int(symbol.next)
            let right = scratch.symbols[rightIndex]
            guard let current = merge(symbol.id, right.id), current.id == top.newId else { continue }
            scratch.symbols[position].id = top.newId
            scratch.symbols[position].end = right.end
            scratch.symbols[position].next = right.next
            scratch.symbols[rightIndex].removed = true
            if right.next >= 0 { scratch.symbols[Int(right.next)].previous = Int32(position) }
            let merged = scratch.symbols[position]
            if merged.previous >= 0, let found = merge(scratch.symbols[Int(merged.previous)].id, merged.id) {
                push(BPEMerge(rank: found.rank, position: merged.previous, newId: found.id), &scratch.heap)
            }
            if merged.next >= 0, let found = merge(merged.id, scratch.symbols[Int(merged.next)].id) {
                push(BPEMerge(rank: found.rank, position: Int32(position), newId: found.id), &scratch.heap)
            }
        }
    }

    private func push(_ item: BPEMerge, _ heap: inout [BPEMerge]) {
        heap.append(item)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func pop(_ heap: inout [BPEMerge]) -> BPEMerge? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count && heap[left] < heap[smallest] { smallest = left }
                if right < heap.count && heap[right] < heap[smallest] { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
