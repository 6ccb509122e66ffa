/// A set of characters in a regular expression: `[a-z\s]`, `\p{L}`, `.`, a literal...
struct RegexCharClass: Sendable, Equatable {
    /// One member of the class; `negated` items match what they do not describe.
    indirect enum Item: Sendable, Equatable {
        case range(UInt32, UInt32)
        /// A class inside a class (`[a[bc]]`), matched as a member.
        case nested(RegexCharClass)
        /// General categories (a bit mask over `UnicodeProperties.categoryNames`).
        case categories(UInt32, negated: Bool)
        case space(negated: Bool)
        case digit(negated: Bool)
        case word(negated: Bool)
        /// `\w` inside brackets, which Oniguruma makes a little narrower than outside.
        case classWord(negated: Bool)
        case hexDigit(negated: Bool)
    }

    private(set) var items: [Item] = []
    var negated = false
    /// Membership of the 128 ASCII characters, computed once.
    private var ascii: (UInt64, UInt64) = (0, 0)

    init(items: [Item] = [], negated: Bool = false) {
        self.items = items
        self.negated = negated
        finish()
    }

    /// One character.
    init(scalar: UInt32) {
        self.init(items: [.range(scalar, scalar)])
    }

    mutating func append(_ item: Item) {
        items.append(item)
        finish()
    }

    mutating func setNegated(_ value: Bool) {
        negated = value
        finish()
    }

    private mutating func finish() {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for scalar in UInt32(0)..<128 where slowContains(scalar) {
            if scalar < 64 { low |= 1 << UInt64(scalar) } else { high |= 1 << UInt64(scalar - 64) }
        }
        ascii = (low, high)
    }

    static func == (lhs: RegexCharClass, rhs: RegexCharClass) -> Bool {
        lhs.items == rhs.items && lhs.negated == rhs.negated
    }

    /// Whether the class matches `scalar`.
    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool {
        if scalar < 64 { return ascii.0 & (1 << UInt64(scalar)) != 0 }
        if scalar < 128 { return ascii.1 & (1 << UInt64(scalar - 64)) != 0 }
        return slowContains(scalar)
    }

    private func slowContains(_ scalar: UInt32) -> Bool {
        var found = false
        for item in items {
            if Self.matches(item, scalar) {
                found = true
                break
            }
        }
        return found != negated
    }

    private static func matches(_ item: Item, _ scalar: UInt32) -> Bool {
        switch item {
        case .range(let first, let last):
            return scalar >= first && scalar <= last
        case .categories(let mask, let negated):
            return (mask & 1 << UInt32(UnicodeProperties.category(scalar)) != 0) != negated
        case .space(let negated):
            return UnicodeProperties.regexSpace.contains(scalar) != negated
        case .digit(let negated):
            return UnicodeProperties.regexDigit.contains(scalar) != negated
        case .word(let negated):
            return UnicodeProperties.regexWordCharacter.contains(scalar) != negated
        case .classWord(let negated):
            return UnicodeProperties.regexClassWordCharacter.contains(scalar) != negated
        case .nested(let set):
            return set.contains(scalar)
        case .hexDigit(let negated):
            let isHex = (scalar >= 0x30 && scalar <= 0x39) || (scalar >= 0x41 && scalar <= 0x46)
                || (scalar >= 0x61 && scalar <= 0x66)
            return isHex != negated
        }
    }

    /// Whether the class may match an ASCII letter or any non-ASCII character (which
    /// case-insensitive matching would have to fold).
    var needsCaseFolding: Bool {
        if negated { return true }
        for item in items {
            switch item {
            case .range(let first, let last):
                if last >= 0x80 { return true }
                for scalar in first...last where (scalar | 0x20) >= 0x61 && (scalar | 0x20) <= 0x7A { return true }
            case .categories: return true
            case .nested(let set): if set.needsCaseFolding { return true }
            case .space, .digit, .word, .classWord, .hexDigit: continue
            }
        }
        return false
    }
}
