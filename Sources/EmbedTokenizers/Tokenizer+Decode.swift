import EmbedCore

/// The `decoder` of `tokenizer.json`, as far as ``Tokenizer/decode(_:skipSpecialTokens:)``
/// implements it. Embedding never decodes, so a decoder that is not implemented does not
/// stop a tokenizer from loading: only decoding refuses, naming it.
enum TokenDecoder: Sendable, Equatable {
    /// No decoder: the tokens joined with spaces, as `tokenizers` does.
    case none
    /// BERT's `WordPiece` decoder: a token starting with `prefix` is glued to the previous
    /// one (prefix removed), any other token after the first gets a space before it; with
    /// `cleanup`, each token then loses the space before `.`, `?`, `!`, `,` and the like.
    case wordPiece(prefix: String, cleanup: Bool)
    /// A decoder type (or an option of one) that is not implemented.
    case unsupported(String)
}

/// The `decoder` section, read leniently (see ``TokenDecoder``).
struct DecoderSection: Decodable {
    var decoder: TokenDecoder

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        let type = try container.optional(String.self, "type") ?? "(no type)"
        let keys = Set(container.allKeys.map(\.stringValue))
        if type == "WordPiece", keys.isSubset(of: ["type", "prefix", "cleanup"]) {
            self.decoder = .wordPiece(
                prefix: try container.optional(String.self, "prefix") ?? "##",
                cleanup: try container.optional(Bool.self, "cleanup") ?? true)
        } else if type == "WordPiece" {
            let extra = keys.subtracting(["type", "prefix", "cleanup"]).sorted().joined(separator: ", ")
            self.decoder = .unsupported("WordPiece with \(extra)")
        } else {
            self.decoder = .unsupported(type)
        }
    }
}

extension Tokenizer {
    /// Whether ``decode(_:skipSpecialTokens:)`` can decode with this tokenizer's decoder;
    /// `nil` when it can, else the reason.
    public var decodeUnsupportedReason: String? {
        guard case .unsupported(let type) = decoder else { return nil }
        return "decoding with the \(type) decoder of tokenizer.json is not implemented"
    }

    /// The text of `ids`, exactly as `tokenizers`' `Tokenizer.decode` gives it: each id's
    /// token (special tokens left out when `skipSpecialTokens`), then the decoder.
    ///
    /// Throws ``TokenizerError/Code/unsupportedComponent`` for a decoder that is not
    /// implemented (never an approximation) and ``TokenizerError/Code/invalidArgument`` for
    /// an id with no token (which `tokenizers` would silently drop).
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) throws(TokenizerError) -> String {
        if let reason = decodeUnsupportedReason { throw TokenizerError(.unsupportedComponent, reason) }
        var tokens: [String] = []
        tokens.reserveCapacity(ids.count)
        for (index, id) in ids.enumerated() {
            guard let token = token(forId: id) else {
                throw TokenizerError(.invalidArgument, "id \(id) at index \(index) is not in the vocabulary (\(vocabularySize) ids)")
            }
            if skipSpecialTokens, specialIds.contains(id) { continue }
            tokens.append(token)
        }
        switch decoder {
        case .none, .unsupported: return tokens.joined(separator: " ")
        case .wordPiece(let prefix, let cleanup):
            var text = ""
            for (index, token) in tokens.enumerated() {
                var piece = token
                if index > 0 {
                    if !prefix.isEmpty, piece.hasPrefix(prefix) {
                        piece.removeFirst(prefix.count)
                    } else {
                        piece = " " + piece
                    }
                }
                text += cleanup ? Self.cleanUp(piece) : piece
            }
            return text
        }
    }

    /// `tokenizers`' `wordpiece::cleanup`, the replacements in its order.
    static func cleanUp(_ piece: String) -> String {
        var text = piece
        for (dirty, clean) in [
            (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
            (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
        ] where text.contains(dirty) {
            text = text.replacing(dirty, with: clean)
        }
        return text
    }
}
