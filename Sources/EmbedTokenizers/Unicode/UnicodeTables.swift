/// Character classes and mappings used by the BERT normalizer and pre-tokenizer.
///
/// The data comes from `UnicodeTables+Generated.swift`, written by
/// `scripts/gen_unicode_tables.py` from the behaviour of Hugging Face `tokenizers`
/// itself, so that every code point is treated exactly as the reference does (Swift's own
/// Unicode tables are a different Unicode version). Lookups in the Basic Multilingual
/// Plane go through a 64 Ki flag table; the rest use binary search.
enum UnicodeTables {
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let cleanRemoved = Flags(rawValue: 1 << 0)
        static let cleanSpace = Flags(rawValue: 1 << 1)
        static let chinese = Flags(rawValue: 1 << 2)
        static let stripRemoved = Flags(rawValue: 1 << 3)
        static let stripMapped = Flags(rawValue: 1 << 4)
        static let lowercaseMapped = Flags(rawValue: 1 << 5)
        static let bertWhitespace = Flags(rawValue: 1 << 6)
        static let bertPunctuation = Flags(rawValue: 1 << 7)
    }

    /// Flags of every BMP code point.
    static let bmpFlags: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x10000)
        func mark(_ ranges: [UInt32], _ flag: Flags) {
            for pair in stride(from: 0, to: ranges.count, by: 2) where ranges[pair] < 0x10000 {
                for cp in Int(ranges[pair])...Int(min(ranges[pair + 1], 0xFFFF)) { table[cp] |= flag.rawValue }
            }
        }
        func markRows(_ rows: [UInt32], _ flag: Flags) {
            for row in stride(from: 0, to: rows.count, by: 5) where rows[row] < 0x10000 {
                table[Int(rows[row])] |= flag.rawValue
            }
        }
        mark(cleanTextRemoved, .cleanRemoved)
        mark(cleanTextSpaces, .cleanSpace)
        mark(chinese, .chinese)
        mark(stripAccentsRemoved, .stripRemoved)
        markRows(stripAccentsMapped, .stripMapped)
        markRows(lowercaseMapped, .lowercaseMapped)
        mark(bertWhitespace, .bertWhitespace)
        mark(bertPunctuation, .bertPunctuation)
        return table
    }()

    /// The flags of `scalar`.
    static func flags(_ scalar: UInt32) -> Flags {
        if scalar < 0x10000 { return Flags(rawValue: bmpFlags[Int(scalar)]) }
        var flags: Flags = []
        if contains(cleanTextRemoved, scalar) { flags.insert(.cleanRemoved) }
        if contains(cleanTextSpaces, scalar) { flags.insert(.cleanSpace) }
        if contains(chinese, scalar) { flags.insert(.chinese) }
        if contains(stripAccentsRemoved, scalar) { flags.insert(.stripRemoved) }
        if row(in: stripAccentsMapped, for: scalar) != nil { flags.insert(.stripMapped) }
        if row(in: lowercaseMapped, for: scalar) != nil { flags.insert(.lowercaseMapped) }
        if contains(bertWhitespace, scalar) { flags.insert(.bertWhitespace) }
        if contains(bertPunctuation, scalar) { flags.insert(.bertPunctuation) }
        return flags
    }

    /// Whether `scalar` lies in one of the (first, last) pairs of `ranges`.
    static func contains(_ ranges: [UInt32], _ scalar: UInt32) -> Bool {
        var low = 0
        var high = ranges.count / 2
        while low < high {
            let mid = (low + high) / 2
            if ranges[2 * mid + 1] < scalar {
                low = mid + 1
            } else if ranges[2 * mid] > scalar {
                high = mid
            } else {
                return true
            }
        }
        return false
    }

    /// The index of `scalar`'s row in a mapping table, if it has one.
    static func row(in rows: [UInt32], for scalar: UInt32) -> Int? {
        var low = 0
        var high = rows.count / 5
        while low < high {
            let mid = (low + high) / 2
            let key = rows[5 * mid]
            if key < scalar {
                low = mid + 1
            } else if key > scalar {
                high = mid
            } else {
                return 5 * mid
            }
        }
        return nil
    }

    /// Appends what `rows` maps `scalar` to (or `scalar` itself when it has no row).
    static func appendMapping(of scalar: UInt32, in rows: [UInt32], to output: inout [UInt32]) {
        guard let row = row(in: rows, for: scalar) else {
            output.append(scalar)
            return
        }
        for index in 0..<Int(rows[row + 1]) { output.append(rows[row + 2 + index]) }
    }

    static let hangulFirst: UInt32 = 0xAC00
    static let hangulLast: UInt32 = 0xD7A3

    /// The canonical decomposition of a precomposed Hangul syllable (Unicode §3.12).
    static func appendHangulDecomposition(of scalar: UInt32, to output: inout [UInt32]) {
        let index = scalar - hangulFirst
        output.append(0x1100 + index / 588)
        output.append(0x1161 + (index % 588) / 28)
        let trailing = index % 28
        if trailing != 0 { output.append(0x11A7 + trailing) }
    }
}
