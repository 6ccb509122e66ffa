public import EmbedTokenizers

/// Encodings padded to a common length, as flat row-major arrays: what a backend runs.
public struct TokenBatch: Sendable, Equatable {
    /// The number of texts.
    public var size: Int
    /// The padded length of every row.
    public var length: Int
    /// Token ids, `size × length`.
    public var inputIds: [Int]
    /// 1 for real tokens, 0 for padding, `size × length`.
    public var attentionMask: [Int]
    /// Token type ids, `size × length`.
    public var tokenTypeIds: [Int]
    /// Per row, the number of leading tokens that belong to a prompt (the start token
    /// included), empty when no row has one; pooling leaves them out when the model's
    /// pooling excludes the prompt.
    public var promptLengths: [Int] = []

    /// Pads `encodings` on the right with `padId` to the longest one.
    public init(_ encodings: [Encoding], padId: Int) {
        size = encodings.count
        length = encodings.map(\.count).max() ?? 0
        let total = size * length
        inputIds = [Int](repeating: padId, count: total)
        attentionMask = [Int](repeating: 0, count: total)
        tokenTypeIds = [Int](repeating: 0, count: total)
        for (row, encoding) in encodings.enumerated() {
            let start = row * length
            for index in 0..<encoding.count {
                inputIds[start + index] = encoding.ids[index]
                attentionMask[start + index] = encoding.attentionMask[index]
                tokenTypeIds[start + index] = encoding.typeIds[index]
            }
        }
    }

    /// The number of real tokens in the batch.
    public var realTokenCount: Int { attentionMask.reduce(0, +) }
}
