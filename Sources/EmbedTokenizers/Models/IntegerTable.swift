/// A hash table from `UInt64` keys to `UInt64` values for the hot lookups of the models
/// (trie edges, BPE merges): open addressing with linear probing and a multiplicative hash,
/// several times cheaper than `Dictionary`'s seeded SipHash for integer keys. Keys must not
/// be `UInt64.max`.
struct IntegerTable: Sendable {
    /// `key + 1` per slot; 0 marks an empty slot.
    private var keys: [UInt64]
    private var values: [UInt64]
    private var shift: UInt64
    private(set) var count = 0

    init(minimumCapacity: Int = 16) {
        var bits: UInt64 = 4
        while (1 << bits) < minimumCapacity * 2 { bits += 1 }
        keys = [UInt64](repeating: 0, count: 1 << bits)
        values = [UInt64](repeating: 0, count: 1 << bits)
        shift = 64 - bits
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The value stored for `key`, if any.
    @inline(__always)
    subscript(key: UInt64) -> UInt64? {
        let stored = key &+ 1
        let mask = keys.count - 1
        var index = slot(key)
        while true {
            let candidate = keys[index]
            if candidate == stored { return values[index] }
            if candidate == 0 { return nil }
            index = (index + 1) & mask
        }
    }

    /// Stores `value` for `key`, replacing any earlier value.
    mutating func set(_ key: UInt64, _ value: UInt64) {
        if (count + 1) * 2 > keys.count { grow() }
        let stored = key &+ 1
        let mask = keys.count - 1
        var index = slot(key)
        while keys[index] != 0 && keys[index] != stored { index = (index + 1) & mask }
        if keys[index] == 0 { count += 1 }
        keys[index] = stored
        values[index] = value
    }

    private mutating func grow() {
        var bigger = IntegerTable(minimumCapacity: keys.count)
        for index in keys.indices where keys[index] != 0 { bigger.set(keys[index] &- 1, values[index]) }
        self = bigger
    }
}
