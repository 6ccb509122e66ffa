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
        special = try container.optional(Bool.self, "special") ?? false
        normalized = try container.optional(Bool.self, "normalized") ?? !special
    }
}

/// Finds added tokens in text as `tokenizers` does: first the tokens with
/// `normalized: false` in the raw text, then, in each normalized remaining part, the
/// normalized form of the tokens with `normalized: true`. Matches are leftmost-longest and
/// non-overlapping; `single_word` tokens must not touch a word character, `lstrip` /
/// `rstrip` tokens take the whitespace on their left / right with them.
struct AddedVocabulary: Sendable {
    /// One matchable token.
    struct Entry: Sendable {
        var id: Int
        var singleWord: Bool
        var lstrip: Bool
        var rstrip: Bool
    }

    /// The tokens as the library registers them: content → id.
    let ids: [String: Int]
    /// Tokens matched in the raw text.
    private let raw: Matcher
    /// Tokens matched in normalized text (by their normalized content).
    private let normalized: Matcher

    var hasNormalizedTokens: Bool { !normalized.isEmpty }

    /// Registers `tokens` in file order, giving each the id the library gives it: its id in
    /// the model's vocabulary if it is there, else the next free id after the model's.
    init(_ tokens: [AddedToken], model: TokenizerModel, normalizer: Normalizer?) throws(TokenizerError) {
        let vocabulary = model.vocabulary
        var ids: [String: Int] = [:]
        var specials: [(AddedToken, Int)] = []
        var others: [(AddedToken, Int)] = []
        for token in tokens where !token.content.isEmpty {
            guard ids[token.content] == nil else {
                throw TokenizerError(.invalidConfiguration, "added token '\(token.content)' appears twice in added_tokens")
            }
            let id: Int
            if let known = vocabulary[token.content] {
                id = known
            } else if let highest = ids.values.max(), highest >= vocabulary.count || vocabulary.isEmpty {
                id = highest + 1
            } else {
                id = vocabulary.count
            }
            guard id == token.id else {
                throw TokenizerError(
                    .invalidConfiguration,
                    "added token '\(token.content)' has id \(token.id) in the file, but tokenizers gives it id \(id)")
            }
            ids[token.content] = id
            if token.special { specials.append((token, id)) } else { others.append((token, id)) }
        }
        var raw = Matcher()
        var normalizedMatcher = Matcher()
        var scratch = EncodeScratch()
        for (token, id) in specials + others {
            let entry = Entry(id: id, singleWord: token.singleWord, lstrip: token.lstrip, rstrip: token.rstrip)
            let scalars = token.content.unicodeScalars.map(\.value)
            if token.normalized {
                var text = NormalizedText(scalars, range: 0..<scalars.count)
                if let normalizer { text = normalizer.normalize(text, origin: 0, scratch: &scratch) }
                normalizedMatcher.add(text.scalars, entry)
            } else {
                raw.add(scalars, entry)
            }
        }
        self.ids = ids
        self.raw = raw
        normalized = normalizedMatcher
    }

    /// A part of a text: plain text, or an added token (with the whitespace it took).
    enum Segment: Equatable {
        case text(Range<Int>)
        case added(id: Int, range: Range<Int>)
    }

    /// Splits `scalars[range]` (the raw text) on the raw added tokens.
    func splitRaw(_ scalars: [UInt32], _ range: Range<Int>, into segments: inout [Segment]) {
        raw.split(scalars, range, into: &segments)
    }

    /// Splits `scalars[range]` (normalized text) on the normalized added tokens.
    func splitNormalized(_ scalars: [UInt32], _ range: Range<Int>, into segments: inout [Segment]) {
        normalized.split(scalars, range, into: &segments)
    }
}
