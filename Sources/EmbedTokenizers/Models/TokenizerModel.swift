import EmbedCore

/// A `tokenizer.json` model: cuts one piece into vocabulary entries.
enum TokenizerModel: Sendable, Decodable {
    case wordPiece(WordPiece)
    case bpe(BPE)
    case unigram(Unigram)

    static let supportedTypes = ["BPE", "Unigram", "WordPiece"]

    init(from decoder: any Decoder) throws {
        let type = try decoder.componentType("model")
        switch type {
        case "WordPiece": self = .wordPiece(try WordPiece(from: decoder))
        case "BPE": self = .bpe(try BPE(from: decoder))
        case "Unigram": self = .unigram(try Unigram(from: decoder))
        default: throw unsupported("model", type, supported: Self.supportedTypes)
        }
    }

    var vocabulary: [String: Int] {
        switch self {
        case .wordPiece(let model): model.vocabulary
        case .bpe(let model): model.vocabulary
        case .unigram(let model): model.vocabulary
        }
    }

    /// The id of the unknown token whose string is taken from the text rather than from
    /// the vocabulary (Unigram's fused unknown runs), if any.
    var textValuedUnknownId: Int? {
        if case .unigram(let model) = self { return model.unknownId }
        return nil
    }

    func tokenize(
        _ scalars: [UInt32], piece: Range<Int>, into tokens: inout [(id: Int, range: Range<Int>)],
        scratch: inout EncodeScratch
    ) {
        switch self {
        case .wordPiece(let model): model.tokenize(scalars, piece: piece, into: &tokens)
        case .bpe(let model): model.tokenize(scalars, piece: piece, into: &tokens, scratch: &scratch.bpe)
        case .unigram(let model): model.tokenize(scalars, piece: piece, into: &tokens, scratch: &scratch.unigram)
        }
    }
}
