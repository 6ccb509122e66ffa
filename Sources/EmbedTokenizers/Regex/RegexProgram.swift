/// A regular expression compiled for a Pike virtual machine: matching takes time
/// proportional to the text times the program, whatever the input (no backtracking, so no
/// pathological inputs), and gives the same leftmost-first matches as a backtracking
/// engine such as Oniguruma for the constructs `RegexParser` accepts.
struct RegexProgram: Sendable {
    enum Operation: UInt8, Sendable {
        /// Consume one character of class `first`, go to the next instruction.
        case set
        /// Continue at `first` (preferred) and at `second`.
        case split
        /// Continue at `first`.
        case jump
        /// Zero-width test `RegexAssertion(rawValue: first)`.
        case assertion
        /// Zero-width test on the next character: class `first`, negated when `second` is 1.
        case lookahead
        case match
    }

    private(set) var operations: [Operation] = []
    private(set) var first: [Int32] = []
    private(set) var second: [Int32] = []
    private(set) var classes: [RegexCharClass] = []
    /// The source text, for messages.
    let pattern: String
    /// The classes a match can start with, when every match starts with a character (no
    /// empty match): positions whose character is in none of them are skipped quickly.
    private(set) var firstClasses: [Int32]?
    /// For each instruction whose zero-width closure has no assertion: the consuming and
    /// match instructions it reaches, in priority order (adding a thread then needs no
    /// graph walk). `nil` entries are walked at match time.
    private(set) var closures: [[Int32]?] = []

    /// The largest program accepted (repetitions multiply its size).
    static let maxInstructions = 20_000

    init(pattern: String) throws(TokenizerError) {
        self.pattern = pattern
        let node = try RegexParser.parse(pattern)
        try emit(node)
        append(.match)
        firstClasses = startingClasses()
        closures = (0..<operations.count).map { closure(of: Int32($0)) }
    }

    /// The consuming and match instructions reachable from `pc` without consuming, in the
    /// order a depth-first walk (preferred branch first) meets them; `nil` when the walk
    /// meets an assertion or a lookahead (whose outcome depends on the position).
    private func closure(of pc: Int32) -> [Int32]? {
        var seen = Set<Int32>()
        var stack: [Int32] = [pc]
        var result: [Int32] = []
        while let current = stack.popLast() {
            guard seen.insert(current).inserted else { continue }
            let index = Int(current)
            switch operations[index] {
            case .set, .match: result.append(current)
            case .jump: stack.append(first[index])
            case .split:
                stack.append(second[index])
                stack.append(first[index])
            case .assertion, .lookahead: return nil
            }
            if result.count > 4096 { return nil }
        }
        return result
    }

    /// The classes of the consuming instructions reachable from the start without
    /// consuming (zero-width tests are assumed to pass); `nil` if the match can be empty.
    private func startingClasses() -> [Int32]? {
        var seen = Set<Int32>()
        var pending: [Int32] = [0]
        var result = Set<Int32>()
        while let pc = pending.popLast() {
            guard seen.insert(pc).inserted else { continue }
            let index = Int(pc)
            switch operations[index] {
            case .match: return nil
            case .set: result.insert(first[index])
            case .jump: pending.append(first[index])
            case .split: pending += [first[index], second[index]]
            case .assertion, .lookahead: pending.append(pc + 1)
            }
        }
        return result.sorted()
    }

    var count: Int { operations.count }

    @discardableResult
    private mutating func append(_ operation: Operation, _ a: Int32 = 0, _ b: Int32 = 0) -> Int {
        operations.append(operation)
        first.append(a)
        second.append(b)
        return operations.count - 1
    }

    private mutating func patch(_ index: Int, first a: Int? = nil, second b: Int? = nil) {
        if let a { first[index] = Int32(a) }
        if let b { second[index] = Int32(b) }
    }

    private mutating func classIndex(_ set: RegexCharClass) -> Int32 {
        if let existing = classes.firstIndex(of: set) { return Int32(existing) }
        classes.append(set)
        return Int32(classes.count - 1)
    }

    private mutating func emit(_ node: RegexNode) throws(TokenizerError) {
        guard operations.count < Self.maxInstructions else {
            throw TokenizerError(
                .unsupportedComponent, "regular expression '\(pattern)' is too large (more than \(Self.maxInstructions) instructions)")
        }
        switch node {
        case .empty:
            break
        case .set(let set):
            append(.set, classIndex(set))
        case .foldedLiteral(let scalars):
            try emitFolded(scalars)
        case .concatenation(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index < branches.count - 1 {
                    let split = append(.split)
                    patch(split, first: operations.count)
                    try emit(branch)
                    jumps.append(append(.jump))
                    patch(split, second: operations.count)
                } else {
                    try emit(branch)
                }
            }
            for jump in jumps { patch(jump, first: operations.count) }
        case .repetition(let inner, let min, let max, let greedy):
            try emitRepetition(inner, min: min, max: max, greedy: greedy)
        case .assertion(let assertion):
            append(.assertion, Int32(assertion.rawValue))
        case .lookahead(let set, let negative):
            append(.lookahead, classIndex(set), negative ? 1 : 0)
        }
    }

    private mutating func emitRepetition(_ inner: RegexNode, min: Int, max: Int?, greedy: Bool) throws(TokenizerError) {
        for _ in 0..<min { try emit(inner) }
        if let max {
            // Each optional copy is `split(copy, end)`; all exits jump to the end.
            var splits: [Int] = []
            for _ in min..<max {
                let split = append(.split)
                splits.append(split)
                patch(split, first: operations.count)
                try emit(inner)
            }
            for split in splits {
                if greedy {
                    patch(split, second: operations.count)
                } else {
                    patch(split, first: operations.count, second: Int(first[split]))
                }
            }
        } else {
            let loop = append(.split)
            patch(loop, first: operations.count)
            try emit(inner)
            append(.jump, Int32(loop))
            if greedy {
                patch(loop, second: operations.count)
            } else {
                patch(loop, first: operations.count, second: loop + 1)
            }
        }
    }

    /// ASCII text under `(?i)`: each letter matches its case-folding orbit, and a character
    /// whose folding is several letters (`ß` for `ss`) matches those letters together.
    private mutating func emitFolded(_ scalars: [UInt32]) throws(TokenizerError) {
        let lowered = scalars.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        // Instructions of each position, patched once every position is laid out.
        var positionStart = [Int](repeating: 0, count: lowered.count + 1)
        var pendingJumps: [(instruction: Int, target: Int)] = []
        for index in 0..<lowered.count {
            positionStart[index] = operations.count
            var alternatives: [(set: RegexCharClass, length: Int)] = []
            let orbit = UnicodeProperties.caseFoldOrbitsByLetter[lowered[index]] ?? [lowered[index]]
            alternatives.append((RegexCharClass(items: orbit.map { .range($0, $0) }), 1))
            for (scalar, folded) in UnicodeProperties.multiCharacterFolds {
                let letters = folded.unicodeScalars.map(\.value)
                if index + letters.count <= lowered.count && Array(lowered[index..<(index + letters.count)]) == letters {
                    alternatives.append((RegexCharClass(scalar: scalar), letters.count))
                }
            }
            for (number, alternative) in alternatives.enumerated() {
                let split = number < alternatives.count - 1 ? append(.split) : nil
                if let split { patch(split, first: operations.count) }
                append(.set, classIndex(alternative.set))
                pendingJumps.append((append(.jump), index + alternative.length))
                if let split { patch(split, second: operations.count) }
            }
        }
        positionStart[lowered.count] = operations.count
        for jump in pendingJumps { patch(jump.instruction, first: positionStart[jump.target]) }
        guard operations.count < Self.maxInstructions else {
            throw TokenizerError(.unsupportedComponent, "regular expression '\(pattern)' is too large")
        }
    }
}
