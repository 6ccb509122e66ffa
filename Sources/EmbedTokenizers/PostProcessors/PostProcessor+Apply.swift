extension PostProcessor {
    /// Applies the processor to the encodings of one or two sequences (already cut), in the
    /// library's `process_encodings` way: the result is a list of parts merged in order.
    func process(_ parts: inout [SequenceEncoding], addSpecialTokens: Bool) {
        switch self {
        case .template(let single, let pair):
            let template = parts.count == 2 ? pair : single
            var result: [SequenceEncoding] = []
            result.reserveCapacity(template.count)
            for piece in template {
                switch piece {
                case .sequence(let second, let typeId):
                    let index = second ? 1 : 0
                    guard index < parts.count else { continue }
                    var part = parts[index]
                    part.setTypeIds(typeId)
                    result.append(part)
                case .special(let ids, let typeId):
                    if addSpecialTokens { result.append(.special(ids, typeId: typeId)) }
                }
            }
            parts = result
        case .bert(let cls, let sep):
            guard addSpecialTokens, let first = parts.first else { return }
            var result: [SequenceEncoding] = [.special([cls], typeId: 0), first, .special([sep], typeId: 0)]
            if parts.count > 1 {
                result.append(parts[1])
                result.append(.special([sep], typeId: 1))
            }
            parts = result
        case .roberta(let cls, let sep, let trimOffsets, let addPrefixSpace):
            if trimOffsets {
                for index in parts.indices { parts[index].trimOffsets(addPrefixSpace: addPrefixSpace) }
            }
            for index in parts.indices { parts[index].setTypeIds(0) }
            guard addSpecialTokens, let first = parts.first else { return }
            var result: [SequenceEncoding] = [.special([cls], typeId: 0), first, .special([sep], typeId: 0)]
            if parts.count > 1 {
                result.append(.special([sep], typeId: 0))
                result.append(parts[1])
                result.append(.special([sep], typeId: 0))
            }
            parts = result
        case .byteLevel(let trimOffsets, let addPrefixSpace):
            if trimOffsets {
                for index in parts.indices { parts[index].trimOffsets(addPrefixSpace: addPrefixSpace) }
            }
        case .sequence(let processors):
            for processor in processors { processor.process(&parts, addSpecialTokens: addSpecialTokens) }
        }
    }
}

extension Encoding {
    /// The parts of a processed encoding, one after the other.
    init(merging parts: [SequenceEncoding]) {
        let total = parts.reduce(0) { $0 + $1.count }
        var ids: [Int] = []
        var typeIds: [Int] = []
        var special: [Int] = []
        var offsets: [Range<Int>] = []
        ids.reserveCapacity(total)
        typeIds.reserveCapacity(total)
        special.reserveCapacity(total)
        offsets.reserveCapacity(total)
        for part in parts {
            ids += part.ids
            typeIds += part.typeIds
            offsets += part.offsets
            special += repeatElement(part.isSpecial ? 1 : 0, count: part.count)
        }
        self.init(
            ids: ids, typeIds: typeIds, attentionMask: [Int](repeating: 1, count: total), specialTokensMask: special,
            offsets: offsets)
    }
}
