import EmbedCore

/// The BPE model: each piece starts as one symbol per character (with the continuing
/// prefix and end-of-word suffix where configured), then the pair of neighbouring symbols
/// with the best-ranked merge is merged, leftmost first, until no merge applies.
///
/// Unknown characters become the unknown token (consecutive ones fused when `fuse_unk`),
/// or their UTF-8 bytes as `<0xNN>` tokens with `byte_fallback`, or are dropped when there
/// is no unknown token, all as in Hugging Face `tokenizers`.
struct BPE: Sendable {
    let vocabulary: [String: Int]
    /// Every vocabulary entry, for symbol and whole-piece lookups without building strings.
    let trie: ScalarTrie
    /// Merges by pair, `first << 32 | second` → `rank << 32 | merged id`.
    let merges: IntegerTable
    let unknownId: Int?
    let continuingSubwordPrefix: [UInt32]
    let endOfWordSuffix: [UInt32]
    let fuseUnknown: Bool
    let byteFallback: Bool
    let ignoreMerges: Bool
    /// The ids of `<0x00>`…`<0xFF>` (-1 where missing).
    let byteIds: [Int32]
    /// The trie node after the continuing prefix (`nil` when no entry starts with it).
    let prefixNode: Int32?
    /// Ids of single characters below U+0800 without prefix or suffix (-1 where missing).
    private let smallCharacterIds: [Int32]

    struct Options {
        var unknownToken: String?
        var continuingSubwordPrefix: String?
        var endOfWordSuffix: String?
        var fuseUnknown = false
        var byteFallback = false
        var ignoreMerges = false
    }

    init(vocabulary: [String: Int], merges: [(String, String)], options: Options) throws(TokenizerError) {
        var trie = ScalarTrie()
        for (token, id) in vocabulary {
            guard let id32 = Int32(exactly: id), id >= 0 else {
                throw TokenizerError(.invalidConfiguration, "BPE token '\(token)' has an invalid id \(id)")
            }
            trie.insert(token.unicodeScalars, value: id32)
        }
        if let unknown = options.unknownToken {
            guard let id = vocabulary[unknown] else {
                throw TokenizerError(.invalidConfiguration, "BPE unk_token '\(unknown)' is not in the vocabulary")
            }
            unknownId = id
        } else {
            unknownId = nil
        }
        let prefix = options.continuingSubwordPrefix ?? ""
        if options.byteFallback && (!prefix.isEmpty || !(options.endOfWordSuffix ?? "").isEmpty) {
            throw TokenizerError(
                .unsupportedComponent,
                "BPE byte_fallback together with continuing_subword_prefix or end_of_word_suffix is not supported")
        }
        self.merges = try Self.mergeTable(merges, vocabulary: vocabulary, prefixLength: prefix.utf8.count)
        self.vocabulary = vocabulary
        self.trie = trie
        continuingSubwordPrefix = prefix.unicodeScalars.map(\.value)
        endOfWordSuffix = (options.endOfWordSuffix ?? "").unicodeScalars.map(\.value)
        fuseUnknown = options.fuseUnknown
        byteFallback = options.byteFallback
        ignoreMerges = options.ignoreMerges
        byteIds = (0..<256).map { Int32(vocabulary[Self.byteToken(UInt8($0))] ?? -1) }
        prefixNode = trie.node(for: prefix.unicodeScalars)
        smallCharacterIds = (0..<0x800).map { scalar -> Int32 in
            guard let node = trie.child(ScalarTrie.root, UInt32(scalar)) else { return -1 }
            return trie.value(node)
        }
    }

    /// Ranks the merges: the `i`-th merge has rank `i`; a later duplicate replaces an earlier one.
    private static func mergeTable(
        _ merges: [(String, String)], vocabulary: [String: Int], prefixLength: Int
    ) throws(TokenizerError) -> IntegerTable {
        var table = IntegerTable(minimumCapacity: merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            guard let leftId = vocabulary[left] else {
                throw TokenizerError(.invalidConfiguration, "BPE merge '\(left) \(right)': '\(left)' is not in the vocabulary")
            }
            guard let rightId = vocabulary[right] else {
                throw TokenizerError(.invalidConfiguration, "BPE merge '\(left) \(right)': '\(right)' is not in the vocabulary")
            }
            // The merged token is the left part and the right part without the continuing prefix.
            let rightBytes = Array(right.utf8)
            guard rightBytes.count >= prefixLength,
                let rest = String(validating: rightBytes[prefixLength...], as: UTF8.self)
            else {
                throw TokenizerError(
                    .invalidConfiguration, "BPE merge '\(left) \(right)': '\(right)' does not start with the continuing prefix")
            }
            guard let mergedId = vocabulary[left + rest] else {
                throw TokenizerError(
                    .invalidConfiguration, "BPE merge '\(left) \(right)': '\(left + rest)' is not in the vocabulary")
            }
            table.set(UInt64(leftId) << 32 | UInt64(rightId), UInt64(rank) << 32 | UInt64(mergedId))
        }
        return table
    }

    /// The byte-fallback token of `byte`: `<0x0A>`.
    static func byteToken(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "<0x" + (digits.count == 1 ? "0" + digits : digits) + ">"
    }

    /// The id of the symbol for `scalar`, with the prefix when it is not first in its piece
    /// and the suffix when it is last.
    @inline(__always)
    func symbolId(_ scalar: UInt32, first: Bool, last: Bool) -> Int32 {
        let usesPrefix = !first && !continuingSubwordPrefix.isEmpty
        let usesSuffix = last && !endOfWordSuffix.isEmpty
        if !usesPrefix && !usesSuffix && scalar < 0x800 { return smallCharacterIds[Int(scalar)] }
        var node = ScalarTrie.root
        if usesPrefix {
            guard let afterPrefix = prefixNode else { return -1 }
            node = afterPrefix
        }
        guard let next = trie.child(node, scalar) else { return -1 }
        node = next
        if usesSuffix {
            for suffixScalar in endOfWordSuffix {
                guard let next = trie.child(node, suffixScalar) else { return -1 }
                node = next
            }
        }
        return trie.value(node)
    }
}

extension BPE {
    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(
            ["type", "dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix", "fuse_unk", "byte_fallback",
             "ignore_merges", "vocab", "merges"],
            in: "model BPE")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        if let dropout = try container.optional(Double.self, "dropout"), dropout != 0 {
            throw TokenizerError(
                .unsupportedComponent, "model BPE dropout \(dropout) is not supported (it makes tokenization random)")
        }
        var options = Options()
        options.unknownToken = try container.optional(String.self, "unk_token")
        options.continuingSubwordPrefix = try container.optional(String.self, "continuing_subword_prefix")
        options.endOfWordSuffix = try container.optional(String.self, "end_of_word_suffix")
        options.fuseUnknown = try container.optional(Bool.self, "fuse_unk") ?? false
        options.byteFallback = try container.optional(Bool.self, "byte_fallback") ?? false
        options.ignoreMerges = try container.optional(Bool.self, "ignore_merges") ?? false
        let merges = try container.optional([MergeEntry].self, "merges") ?? []
        try self.init(
            vocabulary: try container.value([String: Int].self, "vocab"), merges: merges.map { ($0.left, $0.right) },
            options: options)
    }
}

/// A merge, written `"a b"` (older files) or `["a", "b"]`.
private struct MergeEntry: Decodable {
    var left: String
    var right: String

    init(from decoder: any Decoder) throws {
        if let pair = try? decoder.singleValueContainer().decode([String].self) {
            guard pair.count == 2 else {
                throw TokenizerError(.invalidFormat, "BPE merge \(pair) does not have two parts")
            }
            left = pair[0]
            right = pair[1]
            return
        }
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw TokenizerError(.invalidFormat, "BPE merge '\(text)' is not two tokens separated by a space")
        }
        left = String(parts[0])
        right = String(parts[1])
    }
}
