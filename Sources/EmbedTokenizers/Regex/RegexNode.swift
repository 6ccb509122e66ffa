/// A parsed regular expression.
indirect enum RegexNode: Sendable, Equatable {
    case empty
    /// One character from the class.
    case set(RegexCharClass)
    /// ASCII text matched without regard to case (`(?i)`), as Oniguruma folds it.
    case foldedLiteral([UInt32])
    case concatenation([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)
    case assertion(RegexAssertion)
    /// `(?=c)` / `(?!c)` for a single character class `c`.
    case lookahead(RegexCharClass, negative: Bool)
}

/// Zero-width tests.
enum RegexAssertion: UInt8, Sendable, Equatable {
    /// `^`: start of the text or after `\n`.
    case lineStart
    /// `$`: end of the text or before `\n`.
    case lineEnd
    /// `\A`
    case textStart
    /// `\z`
    case textEnd
    /// `\Z`: end of the text or before a final `\n`.
    case textEndBeforeNewline
    /// `\b`
    case wordBoundary
    /// `\B`
    case notWordBoundary
}
