/// A set of Unicode scalar values with constant-time membership in the Basic Multilingual
/// Plane (a 64 Ki-bit map) and binary search above it.
struct ScalarSet: Sendable {
    private var bmp: [UInt64]
    /// (first, last) pairs above U+FFFF, sorted.
    private var supplementary: [UInt32]

    /// The set of the (first, last) pairs in `ranges` (sorted, as the generated tables are).
    init(ranges: [UInt32]) {
        var bmp = [UInt64](repeating: 0, count: 1024)
        var supplementary: [UInt32] = []
        for pair in stride(from: 0, to: ranges.count - 1, by: 2) {
            let first = ranges[pair]
            let last = ranges[pair + 1]
            if first <= 0xFFFF {
                for scalar in Int(first)...Int(min(last, 0xFFFF)) { bmp[scalar >> 6] |= 1 << UInt64(scalar & 63) }
            }
            if last > 0xFFFF {
                supplementary.append(max(first, 0x10000))
                supplementary.append(last)
            }
        }
        self.bmp = bmp
        self.supplementary = supplementary
    }

    /// Whether `scalar` is in the set.
    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool {
        if scalar <= 0xFFFF { return bmp[Int(scalar >> 6)] & (1 << UInt64(scalar & 63)) != 0 }
        return UnicodeTables.contains(supplementary, scalar)
    }
}
