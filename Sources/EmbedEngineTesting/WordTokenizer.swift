public import EmbedEngine
public import EmbedTokenizers

/// A tokenizer for tests: one token per word (split at spaces), between a start token (id 1)
/// and an end token (id 2), so that a text of `n` words has `n + 2` tokens. A word's id is
/// stable: 3 plus a hash of it modulo ``vocabularySize`` − 3; padding is id 0.
public struct WordTokenizer: TextTokenizing {
    /// The id of the start token.
    public static let startID = 1
    /// The id of the end token.
    public static let endID = 2

    public let vocabularySize: Int?
    public var padId: Int { 0 }
    public var tokenizer: Tokenizer? { nil }

    /// A tokenizer with ids below `vocabularySize` (at least 4).
    public init(vocabularySize: Int = 1_000) {
        self.vocabularySize = max(vocabularySize, 4)
    }

    /// The id of `word`.
    public func id(of word: Substring) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return 3 + Int(hash % UInt64((vocabularySize ?? 4) - 3))
    }

    public func encode(_ text: String, truncation: Truncation?) -> Encoding {
        var ids = [Self.startID] + text.split(separator: " ").map(id(of:)) + [Self.endID]
        if let truncation, ids.count > truncation.maxLength {
            let keep = max(truncation.maxLength - 2, 0)
            let words = Array(ids.dropFirst().dropLast())
            let kept = truncation.direction == .right ? Array(words.prefix(keep)) : Array(words.suffix(keep))
            ids = [Self.startID] + kept + [Self.endID]
        }
        let count = ids.count
        var special = [Int](repeating: 0, count: count)
        special[0] = 1
        special[count - 1] = 1
        return Encoding(
            ids: ids, typeIds: [Int](repeating: 0, count: count), attentionMask: [Int](repeating: 1, count: count),
            specialTokensMask: special, offsets: [Range<Int>](repeating: 0..<0, count: count))
    }
}
