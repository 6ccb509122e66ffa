extension Tokenizer {
    /// Tokenizes one text.
    ///
    /// - Parameters:
    ///   - addSpecialTokens: apply the post-processor's special tokens (`[CLS]` … `[SEP]`).
    ///   - truncation: cut to at most `maxLength` tokens, special tokens included. As in
    ///     `tokenizers`, a maximum smaller than the number of special tokens leaves the text
    ///     uncut. Every strategy cuts the one text (Python raises for `OnlySecond` when the
    ///     text is too long; ``encode(_:pair:addSpecialTokens:truncation:)`` does too).
    public func encode(_ text: String, addSpecialTokens: Bool = true, truncation: Truncation? = nil) -> Encoding {
        encode(text, addSpecialTokens: addSpecialTokens, truncation: truncation, windowed: true)
    }

    /// ``encode(_:addSpecialTokens:truncation:)``; `windowed: false` tokenizes the whole text
    /// even when truncation keeps a small part of it (the reference the windows are tested against).
    func encode(_ text: String, addSpecialTokens: Bool, truncation: Truncation?, windowed: Bool) -> Encoding {
        var scratch = EncodeScratch()
        var first =
            windowed
            ? firstSequence(text, added: addSpecialTokens ? specialTokenCount : 0, truncation, scratch: &scratch)
            : encodeSequence(text, typeId: 0, scratch: &scratch)
        if let truncation {
            truncation.apply(single: &first, added: addSpecialTokens ? specialTokenCount : 0)
        }
        var parts = [first]
        postProcessor?.process(&parts, addSpecialTokens: addSpecialTokens)
        return Encoding(merging: parts)
    }

    /// Tokenizes a text, or a pair of texts (for cross-encoders), exactly as `tokenizers`'
    /// `encode(text, pair)`: the second text gets type id 1 unless the post-processor says
    /// otherwise, and truncation follows the strategy for pairs.
    ///
    /// - Throws: ``TokenizerError`` with `invalidArgument` when the truncation strategy
    ///   cannot be followed (`OnlyFirst` / `OnlySecond` with a sequence too short to lose
    ///   enough tokens, `OnlySecond` without a pair), as Python raises.
    public func encode(
        _ text: String, pair: String?, addSpecialTokens: Bool = true, truncation: Truncation? = nil
    ) throws(TokenizerError) -> Encoding {
        var scratch = EncodeScratch()
        var first =
            pair == nil && truncation?.strategy != .onlySecond
            ? firstSequence(text, added: addSpecialTokens ? specialTokenCount : 0, truncation, scratch: &scratch)
            : encodeSequence(text, typeId: 0, scratch: &scratch)
        var parts: [SequenceEncoding]
        if let pair {
            var second = encodeSequence(pair, typeId: 1, scratch: &scratch)
            if let truncation {
                try truncation.apply(&first, &second, added: addSpecialTokens ? pairSpecialTokenCount : 0)
            }
            parts = [first, second]
        } else {
            if let truncation {
                let added = addSpecialTokens ? specialTokenCount : 0
                if truncation.needsSecondSequence(first, added: added) {
                    throw TokenizerError(.invalidArgument, "truncation strategy OnlySecond needs a second sequence")
                }
                truncation.apply(single: &first, added: added)
            }
            parts = [first]
        }
        postProcessor?.process(&parts, addSpecialTokens: addSpecialTokens)
        return Encoding(merging: parts)
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

    /// The tokens of a single text before truncation: of a window of it when truncation keeps
    /// a small part of a very long text (see ``windowedSequence(_:budget:direction:typeId:scratch:)``),
    /// else of the whole text.
    private func firstSequence(
        _ text: String, added: Int, _ truncation: Truncation?, scratch: inout EncodeScratch
    ) -> SequenceEncoding {
        if let truncation, let budget = truncation.budget(added: added), budget > 0,
            let windowed = windowedSequence(text, budget: budget, direction: truncation.direction, typeId: 0, scratch: &scratch)
        {
            return windowed
        }
        return encodeSequence(text, typeId: 0, scratch: &scratch)
    }

    /// The tokens of one text before truncation and special tokens.
    func encodeSequence(_ text: String, typeId: Int, scratch: inout EncodeScratch) -> SequenceEncoding {
        let scalars = text.unicodeScalars.map(\.value)
        var result = SequenceEncoding()
        result.ids.reserveCapacity(scalars.count / 3 + 4)
        result.offsets.reserveCapacity(scalars.count / 3 + 4)
        let trims = !tokenTrims.isEmpty
        var rawSegments: [AddedVocabulary.Segment] = []
        var normalizedSegments: [AddedVocabulary.Segment] = []
        var tokens: [(id: Int, range: Range<Int>)] = []
        addedVocabulary.splitRaw(scalars, 0..<scalars.count, into: &rawSegments)
        for segment in rawSegments {
            switch segment {
            case .added(let id, let range):
                result.ids.append(id)
                result.offsets.append(range)
                if trims { result.trims.append(SequenceEncoding.trim(of: scalars[range])) }
            case .text(let range):
                var normalized = NormalizedText(scalars, range: range)
                if let normalizer {
                    normalized = normalizer.normalize(normalized, origin: Int32(range.lowerBound), scratch: &scratch)
                }
                normalizedSegments.removeAll(keepingCapacity: true)
                addedVocabulary.splitNormalized(normalized.scalars, 0..<normalized.count, into: &normalizedSegments)
                for part in normalizedSegments {
                    switch part {
                    case .added(let id, let range):
                        result.ids.append(id)
                        result.offsets.append(normalized.originalRange(of: range))
                        if trims { result.trims.append(SequenceEncoding.trim(of: normalized.scalars[range])) }
                    case .text(let range):
                        var pieces = PreTokenizedText(text: normalized, pieces: [range])
                        preTokenizer?.split(&pieces, scratch: &scratch)
                        for piece in pieces.pieces where !piece.isEmpty {
                            tokens.removeAll(keepingCapacity: true)
                            model.tokenize(pieces.text.scalars, piece: piece, into: &tokens, scratch: &scratch)
                            for token in tokens {
                                result.ids.append(token.id)
                                result.offsets.append(pieces.text.originalRange(of: token.range))
                                if trims { result.trims.append(trim(of: token, in: pieces.text)) }
                            }
                        }
                    }
                }
            }
        }
        result.setTypeIds(typeId)
        return result
    }

    /// The whitespace around a model token's text: the vocabulary entry's, or the text's
    /// for Unigram's fused unknown runs (whose token is the text itself).
    private func trim(of token: (id: Int, range: Range<Int>), in text: NormalizedText) -> UInt32 {
        if token.id == model.textValuedUnknownId { return SequenceEncoding.trim(of: text.scalars[token.range]) }
        return token.id >= 0 && token.id < tokenTrims.count ? tokenTrims[token.id] : 0
    }
}
