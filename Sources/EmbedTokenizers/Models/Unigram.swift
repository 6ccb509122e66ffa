import EmbedCore

/// The Unigram model (SentencePiece): each piece is cut into the sequence of vocabulary
/// entries with the best total score (Viterbi). A character no entry starts with becomes
/// an unknown node scored `min score - 10`; consecutive unknown nodes are fused into one
/// token, which becomes its `<0xNN>` bytes with `byte_fallback`, exactly as in Hugging
/// Face `tokenizers`.
struct Unigram: Sendable {
    let vocabulary: [String: Int]
    let scores: [Double]
    /// Entry → id (the last id of a duplicated entry, as the library's map keeps it).
    let trie: ScalarTrie
    let unknownId: Int
    let minScore: Double
    let byteFallback: Bool
    /// The ids of `<0x00>`…`<0xFF>` (-1 where missing).
    let byteIds: [Int32]

    static let unknownPenalty = 10.0

    init(pieces: [(String, Double)], unknownId: Int?, byteFallback: Bool) throws(TokenizerError) {
        guard !pieces.isEmpty else { throw TokenizerError(.invalidConfiguration, "model Unigram has an empty vocabulary") }
        guard let unknownId else {
            throw TokenizerError(
                .unsupportedComponent,
                "model Unigram without unk_id is not supported (the library fails on any unknown character)")
        }
        guard unknownId >= 0 && unknownId < pieces.count else {
            throw TokenizerError(.invalidConfiguration, "model Unigram unk_id \(unknownId) is outside the vocabulary")
        }
        var vocabulary: [String: Int] = [:]
        var trie = ScalarTrie()
        var minScore = Double.infinity
        for (id, (piece, score)) in pieces.enumerated() {
            vocabulary[piece] = id
            if !piece.isEmpty { trie.insert(piece.unicodeScalars, value: Int32(id)) }
            minScore = min(minScore, score)
        }
        self.vocabulary = vocabulary
        scores = pieces.map(\.1)
        self.trie = trie
        self.unknownId = unknownId
        self.minScore = minScore
        self.byteFallback = byteFallback
        byteIds = (0..<256).map { Int32(vocabulary[BPE.byteToken(UInt8($0))] ?? -1) }
    }

    /// The id of the entry spelled by `scalars[range]`, if any.
    func id(of scalars: [UInt32], _ range: Range<Int>) -> Int? {
        var node = ScalarTrie.root
        for index in range {
            guard let next = trie.child(node, scalars[index]) else { return nil }
            node = next
        }
        let id = trie.value(node)
        return id >= 0 ? Int(id) : nil
    }
}

extension Unigram {
    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["type", "unk_id", "vocab", "byte_fallback"], in: "model Unigram")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        let entries = try container.value([UnigramEntry].self, "vocab")
        try self.init(
            pieces: entries.map { ($0.piece, $0.score) }, unknownId: try container.optional(Int.self, "unk_id"),
            byteFallback: try container.optional(Bool.self, "byte_fallback") ?? false)
    }
}

/// `["piece", -3.14]`.
private struct UnigramEntry: Decodable {
    var piece: String
    var score: Double

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        piece = try container.decode(String.self)
        score = try container.decode(Double.self)
        guard container.isAtEnd else { throw TokenizerError(.invalidFormat, "Unigram vocabulary entry has more than two values") }
    }
}
