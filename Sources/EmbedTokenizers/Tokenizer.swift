import EmbedCore
public import Foundation

/// A tokenizer read from a Hugging Face `tokenizer.json`.
///
/// The pipeline is the one of the `tokenizers` library: added tokens are found in the
/// raw text, the rest is normalized, pre-tokenized into words and cut into vocabulary
/// entries by the model; then truncation, special tokens (post-processor) and padding.
/// The ids, type ids, masks and offsets are the same as `tokenizers`' own, character for
/// character. Components that are not implemented make loading fail with their name.
///
/// The `truncation` and `padding` sections saved in the file are exposed as
/// ``configuredTruncation`` and ``configuredPadding`` but applied only when a caller
/// passes them (as the `transformers` library does, sentence-transformers included).
public struct Tokenizer: Sendable {
    let addedVocabulary: AddedVocabulary
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let model: TokenizerModel
    let postProcessor: PostProcessor?
    private let tokensById: [Int: String]
    /// `SequenceEncoding.trim(of:)` of every token id; empty when no component trims offsets.
    let tokenTrims: [UInt32]

    /// The `truncation` section of the file, if any.
    public let configuredTruncation: Truncation?
    /// The `padding` section of the file, if any.
    public let configuredPadding: Padding?
    /// The `decoder` of the file (``decode(_:skipSpecialTokens:)``).
    let decoder: TokenDecoder
    /// The ids of the added tokens marked `special` (left out by `decode` when asked).
    let specialIds: Set<Int>

    /// Reads `tokenizer.json` at `url`.
    public init(contentsOf url: URL) throws(TokenizerError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError(.unreadable, "cannot read tokenizer file \(url.path): \(error.localizedDescription)")
        }
        do {
            try self.init(data: data)
        } catch {
            throw TokenizerError(error.code, "\(url.lastPathComponent): \(error.message)")
        }
    }

    /// Parses the contents of a `tokenizer.json`.
    public init(data: Data) throws(TokenizerError) {
        let file: TokenizerFile
        do {
            file = try JSONDecoder().decode(TokenizerFile.self, from: data)
        } catch let error as TokenizerError {
            throw error
        } catch let error as DecodingError {
            throw TokenizerError(.invalidFormat, "invalid tokenizer.json: \(error.readableDescription)")
        } catch {
            throw TokenizerError(.invalidFormat, "invalid tokenizer.json: \(error)")
        }
        let addedVocabulary = try AddedVocabulary(file.addedTokens, model: file.model, normalizer: file.normalizer)
        self.addedVocabulary = addedVocabulary
        normalizer = file.normalizer
        preTokenizer = file.preTokenizer
        model = file.model
        postProcessor = file.postProcessor
        configuredTruncation = file.truncation
        configuredPadding = file.padding
        decoder = file.decoder
        specialIds = Set(file.addedTokens.filter(\.special).compactMap { addedVocabulary.ids[$0.content] })
        var tokensById: [Int: String] = [:]
        for (token, id) in model.vocabulary { tokensById[id] = token }
        for (token, id) in addedVocabulary.ids { tokensById[id] = token }
        self.tokensById = tokensById
        tokenTrims = try Self.trims(tokensById, needed: file.postProcessor?.trimsOffsets ?? false)
    }

    private static func trims(_ tokensById: [Int: String], needed: Bool) throws(TokenizerError) -> [UInt32] {
        guard needed, let highest = tokensById.keys.max() else { return [] }
        guard highest < 16_000_000 else {
            throw TokenizerError(.unsupportedComponent, "token id \(highest) is too large for offset trimming")
        }
        var trims = [UInt32](repeating: 0, count: highest + 1)
        for (id, token) in tokensById where id >= 0 {
            trims[id] = SequenceEncoding.trim(of: token.unicodeScalars.map(\.value))
        }
        return trims
    }

    /// The number of distinct ids (model vocabulary plus added tokens).
    public var vocabularySize: Int { tokensById.count }

    /// The number of special tokens the post-processor adds to one text.
    public var specialTokenCount: Int { postProcessor?.addedTokenCount(pair: false) ?? 0 }

    /// The number of special tokens the post-processor adds to a pair of texts.
    public var pairSpecialTokenCount: Int { postProcessor?.addedTokenCount(pair: true) ?? 0 }

    /// The token string of `id`.
    public func token(forId id: Int) -> String? { tokensById[id] }

    /// The id of a token string (added token or model vocabulary).
    public func id(forToken token: String) -> Int? {
        addedVocabulary.ids[token] ?? model.vocabulary[token]
    }
}
