/// A deterministic embedding that needs no model and no ONNX Runtime: words and character
/// trigrams are hashed into a fixed number of dimensions (signed feature hashing), then the
/// vector is L2-normalised.
///
/// The same text gives the same vector on every run and machine: words are split and
/// lowercased by fixed ASCII rules (other characters are kept as they are) and hashed with
/// 64-bit FNV-1a over their UTF-8 bytes. Its vectors live in a different space from any
/// model's, so results made with it always say `engine: hashing`.
public struct HashingEngine: Sendable, Equatable {
    /// The size of the vectors.
    public let dimension: Int
    /// Words beyond this count are ignored.
    public let maxWords: Int

    /// Creates an engine with `dimension` values per vector.
    public init(dimension: Int = 384, maxWords: Int = 512) throws(EmbedError) {
        guard dimension >= 1, maxWords >= 1 else {
            throw EmbedError(.invalidConfiguration, "hashing dimension and word limit must be at least 1, got \(dimension) and \(maxWords)")
        }
        self.dimension = dimension
        self.maxWords = maxWords
    }

    /// The engine description attached to results.
    public var name: String { "hashing (\(dimension) dimensions)" }

    /// The unit vector of `text` (all zeros for a text without words) and its word count.
    public func embed(_ text: String) -> (vector: [Float], words: Int) {
        embed(Array(text.utf8))
    }

    /// The unit vector of a text given as UTF-8 bytes, and its word count.
    public func embed(_ bytes: [UInt8]) -> (vector: [Float], words: Int) {
        var vector = [Double](repeating: 0, count: dimension)
        let words = Self.words(of: bytes).prefix(maxWords)
        for word in words {
            add(feature: [0x77, 0x3A] + word, weight: 1, to: &vector)  // "w:" + word
            let padded: [UInt8] = [0x5E] + word + [0x24]  // ^word$
            if padded.count >= 3 {
                for start in 0...(padded.count - 3) {
                    add(feature: [0x63, 0x3A] + padded[start..<(start + 3)], weight: 0.5, to: &vector)  // "c:" + trigram
                }
            }
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return ([Float](repeating: 0, count: dimension), 0) }
        return (vector.map { Float($0 / norm) }, words.count)
    }

    /// The leading UTF-8 bytes of `text` that hold its first `words` words (what
    /// ``embed(_:)`` reads), at most `maxBytes`.
    static func prefix(of text: String, words limit: Int, maxBytes: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var words = 0
        var inWord = false
        for byte in text.utf8 {
            guard bytes.count < maxBytes else { break }
            let separator = isSeparator(byte)
            if !separator, !inWord {
                if words == limit { break }
                words += 1
            }
            inWord = !separator
            bytes.append(byte)
        }
        return bytes
    }

    private func add(feature: [UInt8], weight: Double, to vector: inout [Double]) {
        let hash = Self.fnv1a(feature)
        let index = Int(hash % UInt64(dimension))
        vector[index] += (hash >> 63) == 0 ? weight : -weight
    }

    /// Words: runs of bytes that are not ASCII whitespace or punctuation, ASCII lowercased.
    static func words(of bytes: [UInt8]) -> [[UInt8]] {
        var words: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in bytes {
            if isSeparator(byte) {
                if !current.isEmpty { words.append(current) }
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// ASCII bytes other than digits and letters separate words.
    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte < 0x80 && !(byte >= 0x30 && byte <= 0x39) && !(byte >= 0x41 && byte <= 0x5A) && !(byte >= 0x61 && byte <= 0x7A)
    }

    /// The 64-bit FNV-1a hash of `bytes`, the feature hash of this engine.
    public static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
