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

    /// The `truncation` section of the file, if any.
    public let configuredTruncation: Truncation?
    /// The `padding` section of the file, if any.
    public let configuredPadding: Padding?
    /// The `decoder` type named in the file (decoding is not implemented).
    public let decoderType: String?

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
        addedVocabulary = try AddedVocabulary(file.addedTokens)
        normalizer = file.normalizer
        preTokenizer = file.preTokenizer
        model = file.model
        postProcessor = file.postProcessor
        configuredTruncation = file.truncation
        configuredPadding = file.padding
        decoderType = file.decoderType
        var tokensById: [Int: String] = [:]
        for (token, id) in model.vocabulary { tokensById[id] = token }
        for token in file.addedTokens { tokensById[token.id] = token.content }
        self.tokensById = tokensById
    }

    /// The number of distinct ids (model vocabulary plus added tokens).
    public var vocabularySize: Int { tokensById.count }

    /// The number of special tokens the post-processor adds to one text.
    public var specialTokenCount: Int { postProcessor?.addedTokenCount ?? 0 }

    /// The token string of `id`.
    public func token(forId id: Int) -> String? { tokensById[id] }

    /// The id of a token string (model vocabulary or added token).
    public func id(forToken token: String) -> Int? {
        model.vocabulary[token] ?? addedVocabulary.tokens.first { $0.content == token }?.id
    }

    /// Tokenizes one text.
    ///
    /// - Parameters:
    ///   - addSpecialTokens: apply the post-processor (`[CLS]` … `[SEP]`).
    ///   - truncation: cut to at most `maxLength` tokens, special tokens included. As in
    ///     `tokenizers`, a maximum smaller than the number of special tokens leaves the text uncut.
    public func encode(_ text: String, addSpecialTokens: Bool = true, truncation: Truncation? = nil) -> Encoding {
        let scalars = text.unicodeScalars.map(\.value)
        var ids: [Int] = []
        var offsets: [Range<Int>] = []
        ids.reserveCapacity(scalars.count / 3 + 4)
        offsets.reserveCapacity(scalars.count / 3 + 4)
        var pieceTokens: [(id: Int, range: Range<Int>)] = []
        for segment in addedVocabulary.split(scalars) {
            switch segment {
            case .added(let id, let range):
                ids.append(id)
                offsets.append(range)
            case .text(let range):
                var normalized = NormalizedText(scalars, range: range)
                if let normalizer { normalized = normalizer.normalize(normalized) }
                var pieces = PreTokenizedText(text: normalized, pieces: [0..<normalized.count])
                preTokenizer?.split(&pieces)
                for piece in pieces.pieces where !piece.isEmpty {
                    pieceTokens.removeAll(keepingCapacity: true)
                    model.tokenize(pieces.text.scalars, piece: piece, into: &pieceTokens)
                    for token in pieceTokens {
                        ids.append(token.id)
                        offsets.append(pieces.text.originalRange(of: token.range))
                    }
                }
            }
        }
        if let truncation {
            let added = addSpecialTokens ? specialTokenCount : 0
            if truncation.maxLength >= added, ids.count > truncation.maxLength - added {
                let keep = truncation.maxLength - added
                switch truncation.direction {
                case .right:
                    ids.removeSubrange(keep...)
                    offsets.removeSubrange(keep...)
                case .left:
                    ids.removeSubrange(..<(ids.count - keep))
                    offsets.removeSubrange(..<(offsets.count - keep))
                }
            }
        }
        return postProcess(ids: ids, offsets: offsets, addSpecialTokens: addSpecialTokens)
    }

    /// Tokenizes several texts and pads them together.
    public func encodeBatch(
        _ texts: [String], addSpecialTokens: Bool = true, truncation: Truncation? = nil, padding: Padding? = nil
    ) -> [Encoding] {
        let encodings = texts.map { encode($0, addSpecialTokens: addSpecialTokens, truncation: truncation) }
        guard let padding else { return encodings }
        let length = padding.targetLength(longest: encodings.map(\.count).max() ?? 0)
        return encodings.map { $0.padded(to: length, with: padding) }
    }

    private func postProcess(ids: [Int], offsets: [Range<Int>], addSpecialTokens: Bool) -> Encoding {
        guard addSpecialTokens, let postProcessor else {
            return Encoding(
                ids: ids, typeIds: [Int](repeating: 0, count: ids.count),
                attentionMask: [Int](repeating: 1, count: ids.count),
                specialTokensMask: [Int](repeating: 0, count: ids.count), offsets: offsets)
        }
        var result = Encoding(ids: [], typeIds: [], attentionMask: [], specialTokensMask: [], offsets: [])
        let total = ids.count + postProcessor.addedTokenCount
        result.ids.reserveCapacity(total)
        result.typeIds.reserveCapacity(total)
        result.offsets.reserveCapacity(total)
        for piece in postProcessor.singleTemplate {
            switch piece {
            case .special(let specialIds, let typeId):
                result.ids += specialIds
                result.typeIds += [Int](repeating: typeId, count: specialIds.count)
                result.specialTokensMask += [Int](repeating: 1, count: specialIds.count)
                result.offsets += [Range<Int>](repeating: 0..<0, count: specialIds.count)
            case .sequence(_, let typeId):
                result.ids += ids
                result.typeIds += [Int](repeating: typeId, count: ids.count)
                result.specialTokensMask += [Int](repeating: 0, count: ids.count)
                result.offsets += offsets
            }
        }
        result.attentionMask = [Int](repeating: 1, count: result.ids.count)
        return result
    }
}
