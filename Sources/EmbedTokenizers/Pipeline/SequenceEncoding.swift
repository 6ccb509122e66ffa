/// The tokens of one input sequence before special tokens are added: what truncation and
/// the post-processor work on.
struct SequenceEncoding {
    var ids: [Int] = []
    var offsets: [Range<Int>] = []
    var typeIds: [Int] = []
    /// True for the special tokens a post-processor added.
    var isSpecial = false
    /// For each token, how many whitespace characters (or `Ġ`) its text starts and ends
    /// with, packed as `leading << 16 | trailing`; empty unless offsets are trimmed.
    var trims: [UInt32] = []

    var count: Int { ids.count }

    /// Special tokens of a template (or of BERT / RoBERTa processing).
    static func special(_ ids: [Int], typeId: Int) -> SequenceEncoding {
        var encoding = SequenceEncoding()
        encoding.ids = ids
        encoding.offsets = [Range<Int>](repeating: 0..<0, count: ids.count)
        encoding.typeIds = [Int](repeating: typeId, count: ids.count)
        encoding.isSpecial = true
        return encoding
    }

    mutating func setTypeIds(_ typeId: Int) {
        typeIds = [Int](repeating: typeId, count: ids.count)
    }

    /// Keeps `length` tokens, dropping from the end (right) or the start (left).
    mutating func truncate(to length: Int, direction: Truncation.Direction) {
        guard length < count else { return }
        let range = direction == .right ? 0..<length : (count - length)..<count
        ids = Array(ids[range])
        offsets = Array(offsets[range])
        typeIds = Array(typeIds[range])
        if !trims.isEmpty { trims = Array(trims[range]) }
    }

    /// The library's `process_offsets` (ByteLevel / RoBERTa `trim_offsets`): offsets lose
    /// the leading and trailing whitespace of their token's text, except a single leading
    /// space of the first token when `add_prefix_space` put it there.
    mutating func trimOffsets(addPrefixSpace: Bool) {
        guard trims.count == count else { return }
        for index in 0..<count {
            var leading = Int(trims[index] >> 16)
            let trailing = Int(trims[index] & 0xFFFF)
            guard leading > 0 || trailing > 0 else { continue }
            var start = offsets[index].lowerBound
            var end = offsets[index].upperBound
            if leading > 0 {
                let isFirst = index == 0 || start == 0
                if isFirst && addPrefixSpace && leading == 1 { leading = 0 }
                start = min(start + leading, end)
            }
            if trailing > 0 && end >= trailing { end = max(end - trailing, start) }
            offsets[index] = start..<end
        }
    }

    /// `leading << 16 | trailing` for a token spelled by `scalars`.
    static func trim<C: BidirectionalCollection>(of scalars: C) -> UInt32 where C.Element == UInt32 {
        func isSpace(_ scalar: UInt32) -> Bool { scalar == ByteLevel.spaceCharacter || UnicodeProperties.isWhitespace(scalar) }
        let leading = scalars.prefix(while: isSpace).count
        let trailing = scalars.reversed().prefix(while: isSpace).count
        return UInt32(min(leading, 0xFFFF)) << 16 | UInt32(min(trailing, 0xFFFF))
    }
}
