import EmbedCore

/// A token added on top of the model's vocabulary (`added_tokens` in `tokenizer.json`).
struct AddedToken: Sendable, Equatable, Decodable {
    var id: Int
    var content: String
    var singleWord: Bool
    var lstrip: Bool
    var rstrip: Bool
    var normalized: Bool
    var special: Bool

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(
            ["id", "content", "single_word", "lstrip", "rstrip", "normalized", "special"], in: "added token")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        id = try container.value(Int.self, "id")
        content = try container.value(String.self, "content")
        singleWord = try container.optional(Bool.self, "single_word") ?? false
        lstrip = try container.optional(Bool.self, "lstrip") ?? false
        rstrip = try container.optional(Bool.self, "rstrip") ?? false
        normalized = try container.optional(Bool.self, "normalized") ?? !(try container.optional(Bool.self, "special") ?? false)
        special = try container.optional(Bool.self, "special") ?? false
    }
}

/// Finds added tokens in the raw text before normalization, as `tokenizers` does: the
/// text is cut at every occurrence (leftmost, then longest), each occurrence becomes its
/// token and the text between occurrences is tokenized normally.
struct AddedVocabulary: Sendable {
    let tokens: [AddedToken]
    private let trie: ScalarTrie
    /// ASCII first characters of added tokens, for a quick "cannot start here" test.
    private let asciiStarts: [Bool]
    private let hasNonASCIIStart: Bool

    init(_ tokens: [AddedToken]) throws(TokenizerError) {
        var trie = ScalarTrie()
        var asciiStarts = [Bool](repeating: false, count: 128)
        var hasNonASCIIStart = false
        for token in tokens where !token.content.isEmpty {
            for (flag, name) in [(token.singleWord, "single_word"), (token.lstrip, "lstrip"), (token.rstrip, "rstrip"),
                                 (token.normalized, "normalized")] where flag {
                throw TokenizerError(
                    .unsupportedComponent,
                    "added token '\(token.content)' (id \(token.id)) sets \(name): true, which is not supported yet")
            }
            guard let id = Int32(exactly: token.id), id >= 0 else {
                throw TokenizerError(.invalidConfiguration, "added token '\(token.content)' has an invalid id \(token.id)")
            }
            trie.insert(token.content.unicodeScalars, value: id)
            let first = token.content.unicodeScalars.first!.value
            if first < 128 { asciiStarts[Int(first)] = true } else { hasNonASCIIStart = true }
        }
        self.tokens = tokens
        self.trie = trie
        self.asciiStarts = asciiStarts
        self.hasNonASCIIStart = hasNonASCIIStart
    }

    /// A piece of the input: plain text to tokenize, or an added token.
    enum Segment: Equatable {
        case text(Range<Int>)
        case added(id: Int, range: Range<Int>)
    }

    func split(_ scalars: [UInt32]) -> [Segment] {
        var segments: [Segment] = []
        var textStart = 0
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let mayStart = scalar < 128 ? asciiStarts[Int(scalar)] : hasNonASCIIStart
            if mayStart, let (id, end) = longestMatch(scalars, from: index) {
                if textStart < index { segments.append(.text(textStart..<index)) }
                segments.append(.added(id: id, range: index..<end))
                index = end
                textStart = end
            } else {
                index += 1
            }
        }
        if textStart < scalars.count || segments.isEmpty { segments.append(.text(textStart..<scalars.count)) }
        return segments
    }

    private func longestMatch(_ scalars: [UInt32], from start: Int) -> (id: Int, end: Int)? {
        var node = ScalarTrie.root
        var best: (id: Int, end: Int)?
        var index = start
        while index < scalars.count, let next = trie.child(node, scalars[index]) {
            node = next
            index += 1
            let value = trie.value(node)
            if value >= 0 { best = (Int(value), index) }
        }
        return best
    }
}
