import EmbedCore

/// The WordPiece model: greedy longest-match-first segmentation of each piece into
/// vocabulary entries, continuation pieces carrying a prefix (`##`).
struct WordPiece: Sendable {
    let vocabulary: [String: Int]
    let unknownToken: String
    let unknownId: Int
    let continuingSubwordPrefix: String
    let maxInputCharsPerWord: Int
    private let trie: ScalarTrie
    /// The trie node after the continuation prefix (`nil` when no entry starts with it).
    private let continuationRoot: Int32?

    init(vocabulary: [String: Int], unknownToken: String, continuingSubwordPrefix: String, maxInputCharsPerWord: Int)
        throws(TokenizerError)
    {
        guard let unknownId = vocabulary[unknownToken] else {
            throw TokenizerError(
                .invalidConfiguration, "WordPiece unknown token '\(unknownToken)' is not in the vocabulary")
        }
        var trie = ScalarTrie()
        for (token, id) in vocabulary {
            guard let id32 = Int32(exactly: id), id >= 0 else {
                throw TokenizerError(.invalidConfiguration, "WordPiece token '\(token)' has an invalid id \(id)")
            }
            trie.insert(token.unicodeScalars, value: id32)
        }
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
        self.unknownId = unknownId
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.trie = trie
        continuationRoot = trie.node(for: continuingSubwordPrefix.unicodeScalars)
    }

    /// Appends the tokens of `text.scalars[piece]`: ids and ranges of `text`.
    func tokenize(_ scalars: [UInt32], piece: Range<Int>, into tokens: inout [(id: Int, range: Range<Int>)]) {
        guard piece.count <= maxInputCharsPerWord else {
            tokens.append((unknownId, piece))
            return
        }
        let firstNew = tokens.count
        var start = piece.lowerBound
        while start < piece.upperBound {
            guard var node = start == piece.lowerBound ? ScalarTrie.root : continuationRoot else {
                break
            }
            var bestEnd = -1
            var bestId: Int32 = -1
            var index = start
            while index < piece.upperBound, let next = trie.child(node, scalars[index]) {
                node = next
                index += 1
                let value = trie.value(node)
                if value >= 0 {
                    bestEnd = index
                    bestId = value
                }
            }
            guard bestEnd > start else { break }
            tokens.append((Int(bestId), start..<bestEnd))
            start = bestEnd
        }
        if start < piece.upperBound {
            // One part of the word has no match: the whole word is unknown.
            tokens.removeSubrange(firstNew...)
            tokens.append((unknownId, piece))
        }
    }
}

extension WordPiece: Decodable {
    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(
            ["type", "unk_token", "continuing_subword_prefix", "max_input_chars_per_word", "vocab"],
            in: "model WordPiece")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        try self.init(
            vocabulary: try container.value([String: Int].self, "vocab"),
            unknownToken: try container.optional(String.self, "unk_token") ?? "[UNK]",
            continuingSubwordPrefix: try container.optional(String.self, "continuing_subword_prefix") ?? "##",
            maxInputCharsPerWord: try container.optional(Int.self, "max_input_chars_per_word") ?? 100)
    }
}
