/// The NFD, NFKD, NFC and NFKC normalizers.
///
/// They follow the streaming algorithm of the `unicode-normalization` crate that Hugging
/// Face `tokenizers` uses, including the `(character, change)` bookkeeping its
/// `transform` turns into alignments: each character of a decomposition after the first
/// counts as inserted, a composition of two characters counts as one removal, and
/// canonical reordering moves characters together with their changes (so after reordering
/// a mark takes the alignment of the position it lands on, as in the library).
enum UnicodeNormalization: String, Sendable, Equatable {
    case nfd = "NFD"
    case nfkd = "NFKD"
    case nfc = "NFC"
    case nfkc = "NFKC"

    private var compatibility: Bool { self == .nfkd || self == .nfkc }
    private var composes: Bool { self == .nfc || self == .nfkc }

    func normalize(_ text: NormalizedText, origin: Int32) -> NormalizedText {
        // ASCII is left as it is by every form.
        if !text.scalars.contains(where: { $0 >= 0x80 }) { return text }
        var builder = AlignedBuilder(text, origin: origin)
        var composer = Composer()
        var decomposer = Decomposer()
        var expansion: [UInt32] = []
        for scalar in text.scalars {
            expansion.removeAll(keepingCapacity: true)
            NormalizationTables.appendDecomposition(of: scalar, compatibility: compatibility, to: &expansion)
            for (index, character) in expansion.enumerated() {
                decomposer.push(character, change: index == 0 ? 0 : 1) { character, change in
                    if composes {
                        composer.push(character, change: change) { builder.emit($0, change: $1) }
                    } else {
                        builder.emit(character, change: change)
                    }
                }
            }
        }
        decomposer.finish { character, change in
            if composes {
                composer.push(character, change: change) { builder.emit($0, change: $1) }
            } else {
                builder.emit(character, change: change)
            }
        }
        if composes { composer.finish { builder.emit($0, change: $1) } }
        return builder.output
    }
}

/// Canonical ordering of a decomposed stream: marks between two starters are sorted by
/// combining class (stably), each carrying its change.
private struct Decomposer {
    private var pending: [(scalar: UInt32, change: Int, combiningClass: UInt8)] = []

    mutating func push(_ scalar: UInt32, change: Int, emit: (UInt32, Int) -> Void) {
        let combiningClass = NormalizationTables.combiningClass(scalar)
        if combiningClass == 0 { flush(emit) }
        pending.append((scalar, change, combiningClass))
    }

    mutating func finish(_ emit: (UInt32, Int) -> Void) { flush(emit) }

    private mutating func flush(_ emit: (UInt32, Int) -> Void) {
        guard !pending.isEmpty else { return }
        if pending.count > 2 || (pending.count == 2 && pending[0].combiningClass > pending[1].combiningClass) {
            // A stable sort by class, starting after a leading starter (class 0 sorts first anyway).
            let sorted = pending.enumerated().sorted {
                $0.element.combiningClass != $1.element.combiningClass
                    ? $0.element.combiningClass < $1.element.combiningClass : $0.offset < $1.offset
            }
            for item in sorted { emit(item.element.scalar, item.element.change) }
        } else {
            for item in pending { emit(item.scalar, item.change) }
        }
        pending.removeAll(keepingCapacity: true)
    }
}

/// Canonical composition of an ordered decomposed stream, as the crate's `Recompositions`.
private struct Composer {
    private var composee: (scalar: UInt32, change: Int)?
    private var lastClass: UInt8?
    private var buffer: [(UInt32, Int)] = []

    mutating func push(_ scalar: UInt32, change: Int, emit: (UInt32, Int) -> Void) {
        let combiningClass = NormalizationTables.combiningClass(scalar)
        guard let starter = composee else {
            if combiningClass != 0 {
                emit(scalar, change)
            } else {
                composee = (scalar, change)
            }
            return
        }
        if let last = lastClass {
            if last >= combiningClass {
                // Blocked from the starter.
                if combiningClass == 0 {
                    emit(starter.scalar, starter.change)
                    for item in buffer { emit(item.0, item.1) }
                    buffer.removeAll(keepingCapacity: true)
                    composee = (scalar, change)
                    lastClass = nil
                } else {
                    buffer.append((scalar, change))
                    lastClass = combiningClass
                }
                return
            }
            if let composed = NormalizationTables.compose(starter.scalar, scalar) {
                composee = (composed, starter.change + change - 1)
            } else {
                buffer.append((scalar, change))
                lastClass = combiningClass
            }
            return
        }
        if let composed = NormalizationTables.compose(starter.scalar, scalar) {
            composee = (composed, starter.change + change - 1)
        } else if combiningClass == 0 {
            emit(starter.scalar, starter.change)
            composee = (scalar, change)
        } else {
            buffer.append((scalar, change))
            lastClass = combiningClass
        }
    }

    mutating func finish(_ emit: (UInt32, Int) -> Void) {
        if let starter = composee { emit(starter.scalar, starter.change) }
        for item in buffer { emit(item.0, item.1) }
        buffer.removeAll()
        composee = nil
        lastClass = nil
    }
}
