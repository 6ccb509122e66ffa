import Foundation

/// The SentencePiece character map stored (base64) as `precompiled_charsmap` in a
/// `Precompiled` normalizer.
///
/// Layout: a little-endian `UInt32` with the size in bytes of a Darts-clone double-array
/// trie, the trie (little-endian `UInt32` units), then the replacement strings, each ended
/// by a NUL byte. The trie maps UTF-8 byte strings to offsets of replacements.
struct CharsMap: Sendable, Equatable {
    private let units: [UInt32]
    private let replacements: [UInt8]

    init(_ blob: Data) throws(TokenizerError) {
        let bytes = [UInt8](blob)
        guard bytes.count >= 4 else {
            throw TokenizerError(.invalidConfiguration, "Precompiled precompiled_charsmap is too short (\(bytes.count) bytes)")
        }
        let trieSize = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        guard trieSize % 4 == 0, trieSize >= 4, 4 + trieSize <= bytes.count else {
            throw TokenizerError(
                .invalidConfiguration,
                "Precompiled precompiled_charsmap declares a trie of \(trieSize) bytes in a blob of \(bytes.count)")
        }
        var units: [UInt32] = []
        units.reserveCapacity(trieSize / 4)
        for offset in stride(from: 4, to: 4 + trieSize, by: 4) {
            units.append(
                UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                    | UInt32(bytes[offset + 3]) << 24)
        }
        let replacements = Array(bytes[(4 + trieSize)...])
        guard String(validating: replacements, as: UTF8.self) != nil else {
            throw TokenizerError(.invalidConfiguration, "Precompiled precompiled_charsmap replacements are not valid UTF-8")
        }
        self.units = units
        self.replacements = replacements
    }

    /// The trie node a search starts from.
    var root: Int? { units.isEmpty ? nil : Int(Self.offset(units[0])) }

    /// Follows `byte` from `node`: the next node and, when a key ends there, the offset of
    /// its replacement. `nil` when no key continues with `byte` (or the trie is malformed).
    @inline(__always)
    func step(_ node: Int, _ byte: UInt8) -> (node: Int, value: Int?)? {
        // As in the reference, a NUL byte ends every key.
        guard byte != 0 else { return nil }
        let position = node ^ Int(byte)
        guard position < units.count else { return nil }
        let unit = units[position]
        guard unit & (1 << 31 | 0xFF) == UInt32(byte) else { return nil }
        let next = position ^ Int(Self.offset(unit))
        guard unit >> 8 & 1 == 1 else { return (next, nil) }
        guard next < units.count else { return nil }
        return (next, Int(units[next] & (1 << 31 - 1)))
    }

    @inline(__always)
    private static func offset(_ unit: UInt32) -> UInt32 {
        (unit >> 10) << ((unit & (1 << 9)) >> 6)
    }

    /// Appends the replacement stored at `offset` (up to its NUL byte) as scalars.
    func appendReplacement(at offset: Int, to output: inout [UInt32]) {
        guard offset < replacements.count else { return }
        var end = offset
        while end < replacements.count && replacements[end] != 0 { end += 1 }
        // Validated as UTF-8 as a whole at load; an offset inside a character would decode
        // with replacement characters instead of failing.
        for scalar in String(decoding: replacements[offset..<end], as: UTF8.self).unicodeScalars {
            output.append(scalar.value)
        }
    }
}
