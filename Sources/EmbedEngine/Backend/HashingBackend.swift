import EmbedTokenizers

/// The ``HashingEngine`` as a backend: its text tower's tokens are the UTF-8 bytes of each
/// text (``HashingTokenizer``), from which it hashes words and character trigrams.
struct HashingBackend: EmbeddingBackend {
    let engine: HashingEngine

    var engineName: String { engine.name }
    var towers: Set<Tower> { [.text] }

    func run(_ batch: ModelBatch) throws(EmbedError) -> BackendOutput {
        guard let ids = batch[ModelBatch.inputIds]?.int64s, let mask = batch[ModelBatch.attentionMask]?.int64s,
            ids.count == batch.rows * batch.length, mask.count == ids.count
        else {
            throw EmbedError(.runtime, "the hashing engine needs input_ids and attention_mask of \(batch.rows) rows")
        }
        let length = batch.length
        let vectors = (0..<batch.rows).map { row in
            let start = row * length
            var bytes: [UInt8] = []
            bytes.reserveCapacity(length)
            for position in start..<(start + length) where mask[position] != 0 {
                bytes.append(UInt8(truncatingIfNeeded: ids[position]))
            }
            return engine.embed(bytes).vector
        }
        return BackendOutput(vectors: vectors)
    }
}

/// The hashing engine's tokens: the UTF-8 bytes of the text, up to the end of its
/// ``HashingEngine/maxWords``-th word (later words are ignored anyway) and at most
/// ``maxBytes``. No special tokens, no token-id inputs; usage counts words.
struct HashingTokenizer: TextTokenizing {
    /// The most bytes of a text that are read.
    static let maxBytes = 1 << 16
    let maxWords: Int

    func encode(_ text: String, truncation: Truncation?) -> Encoding {
        let bytes = HashingEngine.prefix(of: text, words: maxWords, maxBytes: Self.maxBytes)
        let count = bytes.count
        return Encoding(
            ids: bytes.map(Int.init), typeIds: [Int](repeating: 0, count: count),
            attentionMask: [Int](repeating: 1, count: count), specialTokensMask: [Int](repeating: 0, count: count),
            offsets: [Range<Int>](repeating: 0..<0, count: count))
    }

    /// Words, as the hashing engine counts them.
    func usageCount(of encoding: Encoding) -> Int {
        HashingEngine.words(of: encoding.ids.map { UInt8(truncatingIfNeeded: $0) }).count
    }

    var vocabularySize: Int? { nil }
    var padId: Int { 0 }
    var tokenizer: Tokenizer? { nil }
}
