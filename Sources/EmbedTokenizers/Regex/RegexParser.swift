/// Parses the Oniguruma (Ruby syntax) regular expressions of `tokenizer.json` into
/// `RegexNode`s.
///
/// The subset covers what tokenizers use in practice: literals and escapes, `.`, classes
/// with ranges, `\s \d \w \h` (and their negations) and `\p{…}` general categories,
/// groups, alternation, greedy and lazy quantifiers, `^ $ \A \z \Z \b \B`, `(?i)` on ASCII
/// text, `(?m)` (dot matches newline) and lookahead on a single character class. Anything
/// else (back-references, lookbehind, atomic groups, possessive quantifiers, nested
/// classes, scripts and other properties, …) is an error that names the construct: it is
/// never approximated.
struct RegexParser {
    let pattern: [Unicode.Scalar]
    let source: String
    var position = 0

    /// The largest repetition count accepted in `{n,m}` (the program grows with it).
    static let maxRepetition = 1000

    init(_ source: String) {
        self.source = source
        pattern = Array(source.unicodeScalars)
    }

    static func parse(_ source: String) throws(TokenizerError) -> RegexNode {
        var parser = RegexParser(source)
        let node = try parser.parseAlternation(caseless: false, dotAll: false)
        if parser.position < parser.pattern.count {
            throw parser.error("unbalanced ')'")
        }
        return node
    }

    func unsupported(_ construct: String) -> TokenizerError {
        TokenizerError(
            .unsupportedComponent,
            "regular expression '\(source)' uses \(construct), which is not supported")
    }

    func error(_ problem: String) -> TokenizerError {
        TokenizerError(.invalidConfiguration, "regular expression '\(source)' is invalid: \(problem) at offset \(position)")
    }

    private var atEnd: Bool { position >= pattern.count }
    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < pattern.count ? pattern[position + offset] : nil
    }

    private mutating func parseAlternation(caseless: Bool, dotAll: Bool) throws(TokenizerError) -> RegexNode {
        var caseless = caseless
        var dotAll = dotAll
        var branches: [RegexNode] = []
        var items: [RegexNode] = []
        while let scalar = peek(), scalar != ")" {
            if scalar == "|" {
                position += 1
                branches.append(Self.concatenation(items, caseless: caseless))
                items = []
                continue
            }
            // An inline flag group `(?i)` changes the flags for the rest of this group.
            if scalar == "(", peek(1) == "?", let flags = inlineFlags() {
                caseless = flags.caseless ?? caseless
                dotAll = flags.dotAll ?? dotAll
                continue
            }
            let atom = try parseAtom(caseless: caseless, dotAll: dotAll)
            items.append(try parseQuantifier(atom))
        }
        branches.append(Self.concatenation(items, caseless: caseless))
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    /// Turns runs of case-insensitive ASCII literals into folded literals.
    private static func concatenation(_ items: [RegexNode], caseless: Bool) -> RegexNode {
        var result: [RegexNode] = []
        for item in items {
            if case .foldedLiteral(let next) = item, case .foldedLiteral(let previous)? = result.last {
                result[result.count - 1] = .foldedLiteral(previous + next)
            } else {
                result.append(item)
            }
        }
        if result.isEmpty { return .empty }
        return result.count == 1 ? result[0] : .concatenation(result)
    }

    /// `(?i)`, `(?-i)`, `(?m)`… standing alone (not `(?i:…)`): consumed, with the flags.
    private mutating func inlineFlags() -> (caseless: Bool?, dotAll: Bool?)? {
        var offset = 2
        var on = true
        var caseless: Bool?
        var dotAll: Bool?
        while let scalar = peek(offset) {
            switch scalar {
            case "i": caseless = on
            case "m": dotAll = on
            case "-": on = false
            case ")":
                guard offset > 2 else { return nil }
                position += offset + 1
                return (caseless, dotAll)
            default: return nil
            }
            offset += 1
        }
        return nil
    }

    private mutating func parseAtom(caseless: Bool, dotAll: Bool) throws(TokenizerError) -> RegexNode {
        guard let scalar = peek() else { throw error("unexpected end") }
        position += 1
        switch scalar {
        case "(":
            return try parseGroup(caseless: caseless, dotAll: dotAll)
        case "[":
            let set = try parseClass()
            if caseless && set.needsCaseFolding { throw unsupported("a case-insensitive class with letters") }
            return .set(set)
        case ".":
            return .set(dotAll ? RegexCharClass(items: [.range(0, 0x10FFFF)]) : RegexCharClass(items: [.range(0x0A, 0x0A)], negated: true))
        case "^": return .assertion(.lineStart)
        case "$": return .assertion(.lineEnd)
        case "\\":
            return try parseEscape(caseless: caseless)
        case "*", "+", "?":
            throw error("nothing to repeat")
        case "{":
            if quantifierBounds(at: position - 1) != nil { throw error("nothing to repeat") }
            return literal(scalar.value, caseless: caseless)
        default:
            return try checkedLiteral(scalar.value, caseless: caseless)
        }
    }

    private func literal(_ value: UInt32, caseless: Bool) -> RegexNode {
        caseless ? .foldedLiteral([value]) : .set(RegexCharClass(scalar: value))
    }

    private func checkedLiteral(_ value: UInt32, caseless: Bool) throws(TokenizerError) -> RegexNode {
        if caseless && value >= 0x80 { throw unsupported("case-insensitive matching of non-ASCII text") }
        return literal(value, caseless: caseless)
    }

    private mutating func parseGroup(caseless: Bool, dotAll: Bool) throws(TokenizerError) -> RegexNode {
        var caseless = caseless
        var dotAll = dotAll
        if peek() == "?" {
            position += 1
            guard let kind = peek() else { throw error("unterminated group") }
            switch kind {
            case ":":
                position += 1
            case "=", "!":
                position += 1
                let inner = try parseAlternation(caseless: caseless, dotAll: dotAll)
                try expectClosingParenthesis()
                guard case .set(let set) = inner else {
                    throw unsupported("a lookahead that is not a single character class")
                }
                return .lookahead(set, negative: kind == "!")
            case "<":
                if peek(1) == "=" || peek(1) == "!" { throw unsupported("lookbehind") }
                // A named group: skip the name.
                while let scalar = peek(), scalar != ">" { position += 1 }
                guard peek() == ">" else { throw error("unterminated group name") }
                position += 1
            case ">": throw unsupported("an atomic group")
            case "#": throw unsupported("a comment group")
            default:
                var on = true
                while let scalar = peek(), scalar != ":" {
                    switch scalar {
                    case "i": caseless = on
                    case "m": dotAll = on
                    case "-": on = false
                    default: throw unsupported("the group option '\(scalar)'")
                    }
                    position += 1
                }
                guard peek() == ":" else { throw error("unterminated group options") }
                position += 1
            }
        }
        let inner = try parseAlternation(caseless: caseless, dotAll: dotAll)
        try expectClosingParenthesis()
        return inner
    }

    private mutating func expectClosingParenthesis() throws(TokenizerError) {
        guard peek() == ")" else { throw error("missing ')'") }
        position += 1
    }

    private mutating func parseQuantifier(_ atom: RegexNode) throws(TokenizerError) -> RegexNode {
        guard let scalar = peek() else { return atom }
        var bounds: (min: Int, max: Int?)
        switch scalar {
        case "*": bounds = (0, nil); position += 1
        case "+": bounds = (1, nil); position += 1
        case "?": bounds = (0, 1); position += 1
        case "{":
            guard let parsed = quantifierBounds(at: position) else { return atom }
            bounds = (parsed.min, parsed.max)
            position = parsed.end
        default:
            return atom
        }
        if case .assertion = atom { throw unsupported("a quantified assertion") }
        if case .lookahead = atom { throw unsupported("a quantified lookahead") }
        var greedy = true
        if peek() == "?" {
            greedy = false
            position += 1
        } else if peek() == "+" {
            throw unsupported("a possessive quantifier")
        }
        if let max = bounds.max, max < bounds.min { throw error("repetition {\(bounds.min),\(max)} is reversed") }
        if bounds.min > Self.maxRepetition || (bounds.max ?? 0) > Self.maxRepetition {
            throw unsupported("a repetition count above \(Self.maxRepetition)")
        }
        if peek() == "*" || peek() == "+" || peek() == "?" || (peek() == "{" && quantifierBounds(at: position) != nil) {
            throw unsupported("a nested quantifier")
        }
        return .repetition(atom, min: bounds.min, max: bounds.max, greedy: greedy)
    }

    /// `{n}`, `{n,}`, `{n,m}`, `{,m}` starting at `start`; nil when it is a literal brace.
    private func quantifierBounds(at start: Int) -> (min: Int, max: Int?, end: Int)? {
        var index = start + 1
        func number() -> Int? {
            var value: Int?
            while index < pattern.count, let digit = Int(String(pattern[index])), pattern[index].isASCII {
                value = min((value ?? 0) * 10 + digit, 1_000_000)
                index += 1
            }
            return value
        }
        let low = number()
        guard index < pattern.count else { return nil }
        if pattern[index] == "}" {
            guard let low else { return nil }
            return (low, low, index + 1)
        }
        guard pattern[index] == "," else { return nil }
        index += 1
        let high = number()
        guard index < pattern.count, pattern[index] == "}", low != nil || high != nil else { return nil }
        return (low ?? 0, high, index + 1)
    }
}
