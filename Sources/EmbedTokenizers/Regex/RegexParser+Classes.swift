extension RegexParser {
    /// What a backslash sequence stands for.
    enum Escape {
        case scalar(UInt32)
        case item(RegexCharClass.Item)
        case assertion(RegexAssertion)
    }

    mutating func parseEscape(caseless: Bool) throws(TokenizerError) -> RegexNode {
        switch try escape(inClass: false) {
        case .scalar(let value):
            if caseless && value >= 0x80 { throw unsupported("case-insensitive matching of non-ASCII text") }
            return caseless ? .foldedLiteral([value]) : .set(RegexCharClass(scalar: value))
        case .item(let item):
            let set = RegexCharClass(items: [item])
            if caseless && set.needsCaseFolding { throw unsupported("a case-insensitive character property") }
            return .set(set)
        case .assertion(let assertion):
            return .assertion(assertion)
        }
    }

    /// Reads the escape after a backslash (already consumed).
    mutating func escape(inClass: Bool) throws(TokenizerError) -> Escape {
        guard let scalar = next() else { throw error("trailing backslash") }
        switch scalar {
        case "t": return .scalar(0x09)
        case "n": return .scalar(0x0A)
        case "r": return .scalar(0x0D)
        case "f": return .scalar(0x0C)
        case "v": return .scalar(0x0B)
        case "a": return .scalar(0x07)
        case "e": return .scalar(0x1B)
        case "s": return .item(.space(negated: false))
        case "S": return .item(.space(negated: true))
        case "d": return .item(.digit(negated: false))
        case "D": return .item(.digit(negated: true))
        case "w": return .item(inClass ? .classWord(negated: false) : .word(negated: false))
        case "W": return .item(inClass ? .classWord(negated: true) : .word(negated: true))
        case "h": return .item(.hexDigit(negated: false))
        case "H": return .item(.hexDigit(negated: true))
        case "p", "P": return .item(try property(negated: scalar == "P"))
        case "x": return .scalar(try hexEscape())
        case "u": return .scalar(try hexDigits(count: 4))
        case "A" where !inClass: return .assertion(.textStart)
        case "z" where !inClass: return .assertion(.textEnd)
        case "Z" where !inClass: return .assertion(.textEndBeforeNewline)
        case "b" where !inClass: return .assertion(.wordBoundary)
        case "B" where !inClass: return .assertion(.notWordBoundary)
        default:
            if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
                throw unsupported("the escape '\\\(scalar)'")
            }
            // Any other escaped character stands for itself.
            return .scalar(scalar.value)
        }
    }

    private mutating func next() -> Unicode.Scalar? {
        guard position < pattern.count else { return nil }
        position += 1
        return pattern[position - 1]
    }

    /// `\p{L}`, `\p{Lu}`, `\p{^L}`, `\P{L}`.
    private mutating func property(negated: Bool) throws(TokenizerError) -> RegexCharClass.Item {
        guard next() == "{" else { throw unsupported("a property without braces") }
        var negated = negated
        var name = ""
        while let scalar = next(), scalar != "}" {
            if scalar == "^" && name.isEmpty { negated.toggle() } else { name.unicodeScalars.append(scalar) }
        }
        guard let mask = UnicodeProperties.categoryMask(named: name) else {
            throw unsupported("the property \\p{\(name)} (only general categories are)")
        }
        return .categories(mask, negated: negated)
    }

    private mutating func hexEscape() throws(TokenizerError) -> UInt32 {
        if peek() == "{" {
            position += 1
            var digits = ""
            while let scalar = next(), scalar != "}" { digits.unicodeScalars.append(scalar) }
            guard let value = UInt32(digits, radix: 16), value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
                throw error("bad \\x{…} escape")
            }
            return value
        }
        return try hexDigits(count: 2)
    }

    private mutating func hexDigits(count: Int) throws(TokenizerError) -> UInt32 {
        var digits = ""
        for _ in 0..<count {
            guard let scalar = next() else { throw error("short hexadecimal escape") }
            digits.unicodeScalars.append(scalar)
        }
        guard let value = UInt32(digits, radix: 16), !(0xD800...0xDFFF).contains(value) else {
            throw error("bad hexadecimal escape")
        }
        return value
    }

    /// A bracket class; the opening `[` is consumed.
    mutating func parseClass() throws(TokenizerError) -> RegexCharClass {
        var set = RegexCharClass()
        if peekScalar() == "^" {
            position += 1
            set.setNegated(true)
        }
        var first = true
        while true {
            guard let scalar = next() else { throw error("unterminated class") }
            if scalar == "]" && !first { break }
            first = false
            var low: UInt32
            switch scalar {
            case "[":
                if peekScalar() == ":" { throw unsupported("a POSIX bracket class") }
                set.append(.nested(try parseClass()))
                continue
            case "&" where peekScalar() == "&":
                throw unsupported("a class intersection")
            case "\\":
                switch try escape(inClass: true) {
                case .scalar(let value): low = value
                case .item(let item):
                    set.append(item)
                    continue
                case .assertion: throw unsupported("an assertion in a class")
                }
            default:
                low = scalar.value
            }
            // A range `a-z` (a '-' before ']' is a literal).
            if peekScalar() == "-", let after = peekScalar(1), after != "]" {
                position += 1
                var high: UInt32
                let bound = next() ?? "]"
                if bound == "\\" {
                    guard case .scalar(let value) = try escape(inClass: true) else {
                        throw error("a range ends with a class escape")
                    }
                    high = value
                } else if bound == "[" {
                    throw unsupported("a nested class")
                } else {
                    high = bound.value
                }
                guard low <= high else { throw error("reversed range in class") }
                set.append(.range(low, high))
            } else {
                set.append(.range(low, low))
            }
        }
        return set
    }

    private func peekScalar(_ offset: Int = 0) -> Unicode.Scalar? {
        peek(offset)
    }
}
