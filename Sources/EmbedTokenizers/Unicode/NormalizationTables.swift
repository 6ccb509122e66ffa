/// Decompositions, canonical combining classes and compositions as the Unicode
/// normalization of Hugging Face `tokenizers` knows them (an older Unicode version than
/// Swift's: the data in `NormalizationTables+Generated.swift` is probed from the library by
/// `scripts/gen_unicode_properties.py`). Hangul syllables are handled algorithmically.
enum NormalizationTables {
    static let hangulFirst: UInt32 = 0xAC00
    static let hangulLast: UInt32 = 0xD7A3
    private static let leadFirst: UInt32 = 0x1100
    private static let vowelFirst: UInt32 = 0x1161
    private static let trailFirst: UInt32 = 0x11A7
    private static let vowelCount: UInt32 = 21
    private static let trailCount: UInt32 = 28

    /// Canonical combining classes of the BMP (0 for most characters).
    private static let bmpClasses: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x10000)
        for row in stride(from: 0, to: combiningClassRows.count, by: 3) where combiningClassRows[row] <= 0xFFFF {
            for scalar in Int(combiningClassRows[row])...Int(min(combiningClassRows[row + 1], 0xFFFF)) {
                table[scalar] = UInt8(combiningClassRows[row + 2])
            }
        }
        return table
    }()

    /// Compositions keyed by `first << 21 | second`.
    private static let compositions: IntegerTable = {
        var table = IntegerTable(minimumCapacity: compositionRows.count / 3)
        for row in stride(from: 0, to: compositionRows.count, by: 3) {
            table.set(UInt64(compositionRows[row]) << 21 | UInt64(compositionRows[row + 1]), UInt64(compositionRows[row + 2]))
        }
        return table
    }()

    /// The canonical combining class of `scalar`.
    @inline(__always)
    static func combiningClass(_ scalar: UInt32) -> UInt8 {
        if scalar <= 0xFFFF { return bmpClasses[Int(scalar)] }
        var low = 0
        var high = combiningClassRows.count / 3
        while low < high {
            let mid = (low + high) / 2
            if combiningClassRows[3 * mid + 1] < scalar {
                low = mid + 1
            } else if combiningClassRows[3 * mid] > scalar {
                high = mid
            } else {
                return UInt8(combiningClassRows[3 * mid + 2])
            }
        }
        return 0
    }

    /// Appends the full decomposition of `scalar` (itself when it has none).
    static func appendDecomposition(of scalar: UInt32, compatibility: Bool, to output: inout [UInt32]) {
        if scalar < 0xA0 {
            output.append(scalar)
            return
        }
        if scalar >= hangulFirst && scalar <= hangulLast {
            UnicodeTables.appendHangulDecomposition(of: scalar, to: &output)
            return
        }
        let rows = compatibility ? compatibilityRows : canonicalRows
        let pool = compatibility ? compatibilityPool : canonicalPool
        var low = 0
        var high = rows.count / 3
        while low < high {
            let mid = (low + high) / 2
            let key = rows[3 * mid]
            if key < scalar {
                low = mid + 1
            } else if key > scalar {
                high = mid
            } else {
                let start = Int(rows[3 * mid + 1])
                output.append(contentsOf: pool[start..<(start + Int(rows[3 * mid + 2]))])
                return
            }
        }
        output.append(scalar)
    }

    /// The canonical composition of `first` and `second`, if there is one.
    static func compose(_ first: UInt32, _ second: UInt32) -> UInt32? {
        if first >= leadFirst && first < leadFirst + 19 && second >= vowelFirst && second < vowelFirst + vowelCount {
            return hangulFirst + ((first - leadFirst) * vowelCount + (second - vowelFirst)) * trailCount
        }
        if first >= hangulFirst && first <= hangulLast && (first - hangulFirst) % trailCount == 0
            && second > trailFirst && second < trailFirst + trailCount
        {
            return first + (second - trailFirst)
        }
        return compositions[UInt64(first) << 21 | UInt64(second)].map { UInt32(truncatingIfNeeded: $0) }
    }
}
