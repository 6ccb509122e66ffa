import EmbedCore

/// The Metaspace pre-tokenizer (SentencePiece style): every space becomes the replacement
/// character (`▁`), one is put in front of the piece as the prepend scheme says, and the
/// piece is cut before each replacement character.
struct Metaspace: Sendable, Equatable, Decodable {
    /// When a replacement character is put in front of a piece that does not start with one.
    enum PrependScheme: String, Sendable, Equatable, Decodable {
        /// Every piece.
        case always
        /// Only the piece that starts the text.
        case first
        /// Never.
        case never
    }

    var replacement: UInt32
    var prependScheme: PrependScheme
    var split: Bool

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(
            ["type", "replacement", "prepend_scheme", "split", "add_prefix_space", "str_rep"], in: "pre_tokenizer Metaspace")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        let replacement = try container.value(String.self, "replacement").unicodeScalars
        guard replacement.count == 1, let scalar = replacement.first else {
            throw TokenizerError(.invalidConfiguration, "pre_tokenizer Metaspace replacement must be one character")
        }
        self.replacement = scalar.value
        split = try container.optional(Bool.self, "split") ?? true
        // Files written before `prepend_scheme` existed have `add_prefix_space`; when both
        // are present they must agree, as the library checks.
        let addPrefixSpace = try container.optional(Bool.self, "add_prefix_space")
        if let scheme = try container.optional(PrependScheme.self, "prepend_scheme") {
            if let addPrefixSpace, addPrefixSpace != (scheme != .never) {
                throw TokenizerError(
                    .invalidConfiguration, "pre_tokenizer Metaspace add_prefix_space does not match prepend_scheme")
            }
            prependScheme = scheme
        } else if let addPrefixSpace {
            guard addPrefixSpace else {
                throw TokenizerError(
                    .invalidConfiguration, "pre_tokenizer Metaspace add_prefix_space does not match prepend_scheme")
            }
            prependScheme = .always
        } else {
            prependScheme = .always
        }
    }

    func preTokenize(_ text: inout PreTokenizedText, scratch: inout EncodeScratch) {
        let source = text.text
        var output = NormalizedText()
        output.reserveCapacity(source.count + text.pieces.count)
        scratch.pieces.removeAll(keepingCapacity: true)
        for piece in text.pieces {
            let start = output.count
            let first = source.scalars[piece.lowerBound]
            // The piece's original start is where its first character comes from.
            let prepend = first != 0x20 && first != replacement
                && (prependScheme == .always || (prependScheme == .first && source.starts[piece.lowerBound] == 0))
            if prepend {
                output.append(replacement, start: source.starts[piece.lowerBound], end: source.ends[piece.lowerBound])
            }
            for index in piece {
                let scalar = source.scalars[index]
                output.append(scalar == 0x20 ? replacement : scalar, start: source.starts[index], end: source.ends[index])
            }
            guard split else {
                scratch.pieces.append(start..<output.count)
                continue
            }
            // Merged with next: each replacement character starts a new piece.
            var pieceStart = start
            for index in (start + 1)..<max(start + 1, output.count) where output.scalars[index] == replacement {
                scratch.pieces.append(pieceStart..<index)
                pieceStart = index
            }
            if pieceStart < output.count { scratch.pieces.append(pieceStart..<output.count) }
        }
        text.text = output
        swap(&text.pieces, &scratch.pieces)
    }
}
