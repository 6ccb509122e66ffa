/// The `Precompiled` normalizer: SentencePiece's character map, applied the way Hugging
/// Face `tokenizers` applies it.
///
/// The text is cut into extended grapheme clusters. A cluster shorter than 6 UTF-8 bytes is
/// looked up whole first: if any key of the map is a prefix of it, the whole cluster is
/// replaced by that key's replacement (the shortest such key wins, and whatever the key did
/// not cover is dropped: this is the library's behaviour, kept for exactness). Otherwise each
/// character of the cluster is looked up alone. Alignments follow the library's change
/// bookkeeping for such replacements.
struct Precompiled: Sendable, Equatable {
    let map: CharsMap

    func normalize(_ text: NormalizedText, origin: Int32) -> NormalizedText {
        guard let root = map.root, !text.isEmpty else { return text }
        var changes: [(UInt32, Int)] = []
        changes.reserveCapacity(text.count + 8)
        var replacement: [UInt32] = []
        var modified = false
        let scalars = text.scalars
        var recognizer = Unicode._CharacterRecognizer()
        _ = recognizer.hasBreak(before: Self.scalar(scalars[0]))
        var clusterStart = 0
        var index = 1
        while clusterStart < scalars.count {
            // The cluster ends where the recognizer sees a break (it then holds the next
            // cluster's first scalar).
            while index < scalars.count && !recognizer.hasBreak(before: Self.scalar(scalars[index])) { index += 1 }
            let cluster = clusterStart..<index
            clusterStart = index
            index += 1
            if Self.utf8Length(scalars[cluster]) < 6, let value = firstMatch(scalars[cluster], root: root) {
                replacement.removeAll(keepingCapacity: true)
                map.appendReplacement(at: value, to: &replacement)
                Self.replace(count: cluster.count, with: replacement, in: &changes)
                modified = true
                continue
            }
            for position in cluster {
                if let value = firstMatch(scalars[position..<(position + 1)], root: root) {
                    replacement.removeAll(keepingCapacity: true)
                    map.appendReplacement(at: value, to: &replacement)
                    Self.replace(count: 1, with: replacement, in: &changes)
                    modified = true
                } else {
                    changes.append((scalars[position], 0))
                }
            }
        }
        guard modified else { return text }
        var builder = AlignedBuilder(text, origin: origin)
        for (scalar, change) in changes { builder.emit(scalar, change: change) }
        return builder.output
    }

    /// The replacement offset of the shortest key that is a prefix of `scalars` (as UTF-8).
    private func firstMatch(_ scalars: ArraySlice<UInt32>, root: Int) -> Int? {
        var node = root
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        for scalar in scalars {
            let count = Self.encode(scalar, into: &bytes)
            for byteIndex in 0..<count {
                let byte: UInt8
                switch byteIndex {
                case 0: byte = bytes.0
                case 1: byte = bytes.1
                case 2: byte = bytes.2
                default: byte = bytes.3
                }
                guard let next = map.step(node, byte) else { return nil }
                if let value = next.value { return value }
                node = next.node
            }
        }
        return nil
    }

    /// The library's `replace`: `count` old characters become `new` ones; extra new ones
    /// count as inserted, missing ones as removed by the last change so far.
    private static func replace(count: Int, with new: [UInt32], in changes: inout [(UInt32, Int)]) {
        let difference = new.count - count
        for scalar in new { changes.append((scalar, 0)) }
        if difference > 0 {
            for index in (changes.count - difference)..<changes.count { changes[index].1 = 1 }
        } else if difference < 0, !changes.isEmpty {
            changes[changes.count - 1].1 += difference
        }
    }

    @inline(__always)
    private static func scalar(_ value: UInt32) -> Unicode.Scalar {
        Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    private static func utf8Length(_ scalars: ArraySlice<UInt32>) -> Int {
        scalars.reduce(0) { $0 + ($1 < 0x80 ? 1 : $1 < 0x800 ? 2 : $1 < 0x10000 ? 3 : 4) }
    }

    /// The UTF-8 bytes of `scalar`; returns their count.
    @inline(__always)
    static func encode(_ scalar: UInt32, into bytes: inout (UInt8, UInt8, UInt8, UInt8)) -> Int {
        switch scalar {
        case 0..<0x80:
            bytes.0 = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            bytes.0 = UInt8(0xC0 | scalar >> 6)
            bytes.1 = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            bytes.0 = UInt8(0xE0 | scalar >> 12)
            bytes.1 = UInt8(0x80 | scalar >> 6 & 0x3F)
            bytes.2 = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            bytes.0 = UInt8(0xF0 | scalar >> 18 & 0x07)
            bytes.1 = UInt8(0x80 | scalar >> 12 & 0x3F)
            bytes.2 = UInt8(0x80 | scalar >> 6 & 0x3F)
            bytes.3 = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
