import EmbedCore

/// GPT-2's byte-level scheme: text is split with GPT-2's regular expression, then every
/// UTF-8 byte becomes one printable character (`Ġ` for a space), so that a vocabulary of
/// 256 base symbols covers every text. Used as pre-tokenizer, normalizer and (offset
/// trimming only) post-processor.
struct ByteLevel: Sendable, Equatable {
    var addPrefixSpace: Bool
    var trimOffsets: Bool
    var useRegex: Bool

    init(addPrefixSpace: Bool = true, trimOffsets: Bool = true, useRegex: Bool = true) {
        self.addPrefixSpace = addPrefixSpace
        self.trimOffsets = trimOffsets
        self.useRegex = useRegex
    }

    init(from decoder: any Decoder, in component: String) throws {
        try decoder.rejectUnknownKeys(["type", "add_prefix_space", "trim_offsets", "use_regex"], in: component)
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        addPrefixSpace = try container.optional(Bool.self, "add_prefix_space") ?? true
        trimOffsets = try container.optional(Bool.self, "trim_offsets") ?? true
        useRegex = try container.optional(Bool.self, "use_regex") ?? true
    }

    /// The character each byte becomes: printable Latin-1 bytes stay themselves, the others
    /// are numbered from U+0100 up.
    static let byteCharacters: [UInt32] = {
        var characters = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                characters[byte] = UInt32(byte)
            } else {
                characters[byte] = next
                next += 1
            }
        }
        return characters
    }()

    /// `byteCharacters[0x20]`.
    static let spaceCharacter: UInt32 = 0x120

    func preTokenize(_ text: inout PreTokenizedText, scratch: inout EncodeScratch) {
        let source = text.text
        var prefixed = NormalizedText()
        if addPrefixSpace {
            // A space is put in front of every piece that does not start with one, with the
            // alignment of the piece's first character.
            prefixed.reserveCapacity(source.count + text.pieces.count)
            scratch.pieces.removeAll(keepingCapacity: true)
            for piece in text.pieces {
                let start = prefixed.count
                if source.scalars[piece.lowerBound] != 0x20 {
                    prefixed.append(0x20, start: source.starts[piece.lowerBound], end: source.ends[piece.lowerBound])
                }
                for index in piece { prefixed.append(from: source, at: index) }
                scratch.pieces.append(start..<prefixed.count)
            }
            swap(&text.pieces, &scratch.pieces)
        } else {
            prefixed = source
        }
        if useRegex {
            scratch.pieces.removeAll(keepingCapacity: true)
            for piece in text.pieces { GPT2Splitter.split(prefixed.scalars, piece, into: &scratch.pieces) }
            swap(&text.pieces, &scratch.pieces)
        }
        text.text = Self.mapBytes(prefixed, pieces: &text.pieces, scratch: &scratch)
    }

    /// Replaces every scalar of the pieces by the characters of its UTF-8 bytes (each with
    /// the scalar's alignment) and moves the pieces to the new text.
    static func mapBytes(_ source: NormalizedText, pieces: inout [Range<Int>], scratch: inout EncodeScratch) -> NormalizedText {
        var output = NormalizedText()
        output.reserveCapacity(source.count + source.count / 2)
        scratch.pieces.removeAll(keepingCapacity: true)
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        for piece in pieces {
            let start = output.count
            for index in piece {
                let scalar = source.scalars[index]
                let from = source.starts[index]
                let to = source.ends[index]
                if scalar < 0x80 {
                    output.append(byteCharacters[Int(scalar)], start: from, end: to)
                    continue
                }
                let count = Precompiled.encode(scalar, into: &bytes)
                output.append(byteCharacters[Int(bytes.0)], start: from, end: to)
                output.append(byteCharacters[Int(bytes.1)], start: from, end: to)
                if count > 2 { output.append(byteCharacters[Int(bytes.2)], start: from, end: to) }
                if count > 3 { output.append(byteCharacters[Int(bytes.3)], start: from, end: to) }
            }
            scratch.pieces.append(start..<output.count)
        }
        swap(&pieces, &scratch.pieces)
        return output
    }
}
