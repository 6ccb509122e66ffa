/// Character classes of the components other than BERT's, each as the library that
/// Hugging Face `tokenizers` uses for it sees them (see `scripts/gen_unicode_properties.py`,
/// which writes `UnicodeProperties+Generated.swift` by asking `tokenizers` itself).
enum UnicodeProperties {
    /// Oniguruma's `\s` (regular expressions).
    static let regexSpace = ScalarSet(ranges: onigSpace)
    /// Oniguruma's `\d`.
    static let regexDigit = ScalarSet(ranges: onigDigit)
    /// Oniguruma's `\w`.
    static let regexWordCharacter = ScalarSet(ranges: onigWord)
    /// Oniguruma's `\w` inside brackets.
    static let regexClassWordCharacter = ScalarSet(ranges: onigClassWord)
    /// Rust's `char::is_whitespace`, which is also the `regex` crate's `\s`.
    static let whitespace = ScalarSet(ranges: rustWhitespace)
    /// The `regex` crate's `\w`, which decides what `single_word` added tokens see as a word.
    static let wordCharacter = ScalarSet(ranges: regexWord)
    /// What the Punctuation pre-tokenizer splits on.
    static let punctuationCharacter = ScalarSet(ranges: punctuation)
    /// Rust's `char::is_numeric` (Digits pre-tokenizer).
    static let numericCharacter = ScalarSet(ranges: numeric)
    /// What StripAccents removes.
    static let combiningMark = ScalarSet(ranges: combiningMarks)

    /// The general category index (into `categoryNames`) of every BMP scalar.
    private static let bmpCategories: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x10000)
        for run in stride(from: 0, to: categoryRuns.count, by: 2) where categoryRuns[run] <= 0xFFFF {
            let end = run + 2 < categoryRuns.count ? min(Int(categoryRuns[run + 2]), 0x10000) : 0x10000
            for scalar in Int(categoryRuns[run])..<end { table[scalar] = UInt8(categoryRuns[run + 1]) }
        }
        return table
    }()

    /// The index of `scalar`'s general category in `categoryNames`.
    @inline(__always)
    static func category(_ scalar: UInt32) -> Int {
        if scalar <= 0xFFFF { return Int(bmpCategories[Int(scalar)]) }
        var low = 0
        var high = categoryRuns.count / 2
        while high - low > 1 {
            let mid = (low + high) / 2
            if categoryRuns[2 * mid] <= scalar { low = mid } else { high = mid }
        }
        return Int(categoryRuns[2 * low + 1])
    }

    /// A bit mask of the general categories a `\p{name}` property stands for: a two-letter
    /// category (`Lu`) or a one-letter group (`L`); `nil` for any other name.
    static func categoryMask(named name: String) -> UInt32? {
        var mask: UInt32 = 0
        for (index, category) in categoryNames.enumerated()
        where category == name || (name.count == 1 && category.hasPrefix(name)) {
            mask |= 1 << UInt32(index)
        }
        return mask == 0 ? nil : mask
    }

    /// What `(?i)` lets an ASCII letter match (itself in both cases, and characters such
    /// as U+212A KELVIN SIGN for `k`), keyed by the lowercase letter.
    static let caseFoldOrbitsByLetter: [UInt32: [UInt32]] = {
        var result: [UInt32: [UInt32]] = [:]
        var index = 0
        while index + 1 < caseFoldOrbits.count {
            let count = Int(caseFoldOrbits[index + 1])
            result[caseFoldOrbits[index]] = Array(caseFoldOrbits[(index + 2)..<(index + 2 + count)])
            index += 2 + count
        }
        return result
    }()

    /// Whether Rust's `char::is_whitespace` holds (fast path for ASCII).
    @inline(__always)
    static func isWhitespace(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return scalar == 0x20 || (scalar >= 0x09 && scalar <= 0x0D) }
        return whitespace.contains(scalar)
    }
}
