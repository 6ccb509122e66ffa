/// Reusable memory for `RegexProgram` searches (one per encoding call, never shared).
struct RegexScratch {
    fileprivate var current = ThreadList()
    fileprivate var next = ThreadList()
    fileprivate var stack: [Int32] = []

    init() {}
}

/// The threads of one step, in priority order, each with the position its match started at.
private struct ThreadList {
    var dense: [Int32] = []
    var sparse: [Int32] = []
    var starts: [Int32] = []
    var count = 0

    mutating func prepare(_ size: Int) {
        if sparse.count < size {
            dense = [Int32](repeating: 0, count: size)
            sparse = [Int32](repeating: 0, count: size)
            starts = [Int32](repeating: 0, count: size)
        }
        count = 0
    }

    @inline(__always)
    func contains(_ pc: Int32) -> Bool {
        let slot = Int(sparse[Int(pc)])
        return slot < count && dense[slot] == pc
    }

    @inline(__always)
    mutating func insert(_ pc: Int32) {
        sparse[Int(pc)] = Int32(count)
        dense[count] = pc
        count += 1
    }
}

extension RegexProgram {
    /// The leftmost-first match in `text[bounds]` starting at or after `from`. `bounds` is
    /// the whole subject: anchors and `\b` look at it, not at `from`.
    func firstMatch(in text: [UInt32], bounds: Range<Int>, from: Int, scratch: inout RegexScratch) -> Range<Int>? {
        scratch.current.prepare(count)
        scratch.next.prepare(count)
        var matched: Range<Int>?
        var position = from
        while true {
            if matched == nil, scratch.current.count == 0, let starts = firstClasses {
                // No thread alive: skip to the next character a match can start with.
                while position < bounds.upperBound && !starts.contains(where: { classes[Int($0)].contains(text[position]) }) {
                    position += 1
                }
                if position >= bounds.upperBound { break }
            }
            if matched == nil && position <= bounds.upperBound {
                addThread(0, start: position, at: position, text: text, bounds: bounds, into: &scratch.current, stack: &scratch.stack)
            }
            if scratch.current.count == 0 { break }
            scratch.next.count = 0
            var index = 0
            while index < scratch.current.count {
                let pc = scratch.current.dense[index]
                index += 1
                switch operations[Int(pc)] {
                case .match:
                    matched = Int(scratch.current.starts[Int(pc)])..<position
                    // Lower-priority threads lose to this one.
                    index = scratch.current.count
                case .set:
                    if position < bounds.upperBound && classes[Int(first[Int(pc)])].contains(text[position]) {
                        addThread(
                            pc + 1, start: Int(scratch.current.starts[Int(pc)]), at: position + 1, text: text,
                            bounds: bounds, into: &scratch.next, stack: &scratch.stack)
                    }
                default:
                    break
                }
            }
            swap(&scratch.current, &scratch.next)
            if position >= bounds.upperBound && scratch.current.count == 0 { break }
            position += 1
        }
        return matched
    }

    /// Follows the zero-width instructions from `pc` in priority order, adding every
    /// reachable instruction once.
    private func addThread(
        _ pc: Int32, start: Int, at position: Int, text: [UInt32], bounds: Range<Int>,
        into list: inout ThreadList, stack: inout [Int32]
    ) {
        if let closure = closures[Int(pc)] {
            for target in closure where !list.contains(target) {
                list.insert(target)
                list.starts[Int(target)] = Int32(start)
            }
            return
        }
        stack.removeAll(keepingCapacity: true)
        stack.append(pc)
        while let pc = stack.popLast() {
            guard !list.contains(pc) else { continue }
            list.insert(pc)
            list.starts[Int(pc)] = Int32(start)
            let index = Int(pc)
            switch operations[index] {
            case .jump:
                stack.append(first[index])
            case .split:
                stack.append(second[index])
                stack.append(first[index])
            case .assertion:
                if let kind = RegexAssertion(rawValue: UInt8(first[index])),
                    Self.holds(kind, text: text, bounds: bounds, at: position)
                {
                    stack.append(pc + 1)
                }
            case .lookahead:
                let present = position < bounds.upperBound && classes[Int(first[index])].contains(text[position])
                if present != (second[index] == 1) { stack.append(pc + 1) }
            case .set, .match:
                break
            }
        }
    }

    private static func holds(_ assertion: RegexAssertion, text: [UInt32], bounds: Range<Int>, at position: Int) -> Bool {
        switch assertion {
        case .lineStart:
            // Not after a newline that ends the text.
            return position == bounds.lowerBound || (text[position - 1] == 0x0A && position < bounds.upperBound)
        case .lineEnd: return position == bounds.upperBound || text[position] == 0x0A
        case .textStart: return position == bounds.lowerBound
        case .textEnd: return position == bounds.upperBound
        case .textEndBeforeNewline:
            return position == bounds.upperBound || (position == bounds.upperBound - 1 && text[position] == 0x0A)
        case .wordBoundary, .notWordBoundary:
            let before = position > bounds.lowerBound && UnicodeProperties.regexWordCharacter.contains(text[position - 1])
            let after = position < bounds.upperBound && UnicodeProperties.regexWordCharacter.contains(text[position])
            return (before != after) == (assertion == .wordBoundary)
        }
    }

    /// Every match in `text[bounds]`, as Oniguruma's `find_iter` (through the `onig` crate)
    /// yields them: non-overlapping, leftmost first; an empty match right where the previous
    /// match ended is skipped.
    func forEachMatch(
        in text: [UInt32], bounds: Range<Int>, scratch: inout RegexScratch, _ body: (Range<Int>) -> Void
    ) {
        var searchFrom = bounds.lowerBound
        var lastMatchEnd: Int?
        while searchFrom <= bounds.upperBound {
            guard let found = firstMatch(in: text, bounds: bounds, from: searchFrom, scratch: &scratch) else { return }
            if found.isEmpty && lastMatchEnd == found.upperBound {
                searchFrom += 1
                continue
            }
            searchFrom = found.upperBound
            lastMatchEnd = found.upperBound
            body(found)
        }
    }
}
