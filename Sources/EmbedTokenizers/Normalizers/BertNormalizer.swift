import EmbedCore

/// The BERT normalizer: clean text, space out CJK ideographs, strip accents, lowercase.
///
/// Each step works character by character exactly as in Hugging Face `tokenizers`, with
/// the character data generated from that library (see ``UnicodeTables``).
struct BertNormalizer: Sendable, Equatable, Decodable {
    /// Remove control characters and turn every kind of whitespace into a space.
    var cleanText: Bool
    /// Put spaces around CJK ideographs so that each becomes a word.
    var handleChineseChars: Bool
    /// Decompose (NFD) and drop non-spacing marks; `nil` means "as `lowercase`".
    var stripAccents: Bool?
    /// Lowercase every character.
    var lowercase: Bool

    init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(
            ["type", "clean_text", "handle_chinese_chars", "strip_accents", "lowercase"], in: "normalizer BertNormalizer")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        cleanText = try container.optional(Bool.self, "clean_text") ?? true
        handleChineseChars = try container.optional(Bool.self, "handle_chinese_chars") ?? true
        stripAccents = try container.optional(Bool.self, "strip_accents")
        lowercase = try container.optional(Bool.self, "lowercase") ?? true
    }

    func normalize(_ input: NormalizedText) -> NormalizedText {
        let strip = stripAccents ?? lowercase
        var output = NormalizedText()
        output.reserveCapacity(input.count + input.count / 8)
        // Scratch buffers for the characters one input character expands to.
        var stage: [UInt32] = []
        var mapped: [UInt32] = []
        for index in 0..<input.count {
            var scalar = input.scalars[index]
            let start = input.starts[index]
            let end = input.ends[index]
            // Fast path: ASCII letters, digits and punctuation need at most a lowercase.
            if scalar >= 0x20 && scalar < 0x7F {
                if lowercase && scalar >= 0x41 && scalar <= 0x5A { scalar += 0x20 }
                output.append(scalar, start: start, end: end)
                continue
            }
            let flags = UnicodeTables.flags(scalar)
            if cleanText {
                if flags.contains(.cleanRemoved) { continue }
                if flags.contains(.cleanSpace) { scalar = 0x20 }
            }
            stage.removeAll(keepingCapacity: true)
            if handleChineseChars && flags.contains(.chinese) {
                stage.append(0x20)
                stage.append(scalar)
                stage.append(0x20)
            } else {
                stage.append(scalar)
            }
            if strip {
                mapped.removeAll(keepingCapacity: true)
                for character in stage { Self.appendStripped(character, to: &mapped) }
                swap(&stage, &mapped)
            }
            if lowercase {
                mapped.removeAll(keepingCapacity: true)
                for character in stage { Self.appendLowercased(character, to: &mapped) }
                swap(&stage, &mapped)
            }
            for character in stage { output.append(character, start: start, end: end) }
        }
        return output
    }

    /// NFD, then removal of non-spacing marks. Per character; canonical reordering of
    /// marks across characters does not change the result once the marks are removed.
    static func appendStripped(_ scalar: UInt32, to output: inout [UInt32]) {
        if scalar < 0x80 {
            output.append(scalar)
            return
        }
        if scalar >= UnicodeTables.hangulFirst && scalar <= UnicodeTables.hangulLast {
            UnicodeTables.appendHangulDecomposition(of: scalar, to: &output)
            return
        }
        let flags = UnicodeTables.flags(scalar)
        if flags.contains(.stripRemoved) { return }
        if flags.contains(.stripMapped) {
            UnicodeTables.appendMapping(of: scalar, in: UnicodeTables.stripAccentsMapped, to: &output)
        } else {
            output.append(scalar)
        }
    }

    static func appendLowercased(_ scalar: UInt32, to output: inout [UInt32]) {
        if scalar < 0x80 {
            output.append(scalar >= 0x41 && scalar <= 0x5A ? scalar + 0x20 : scalar)
            return
        }
        if UnicodeTables.flags(scalar).contains(.lowercaseMapped) {
            UnicodeTables.appendMapping(of: scalar, in: UnicodeTables.lowercaseMapped, to: &output)
        } else {
            output.append(scalar)
        }
    }

    /// The `Lowercase` normalizer (the same character mapping as the BERT normalizer's).
    static func lowercased(_ input: NormalizedText) -> NormalizedText {
        var output = NormalizedText()
        output.reserveCapacity(input.count)
        var mapped: [UInt32] = []
        for index in 0..<input.count {
            mapped.removeAll(keepingCapacity: true)
            appendLowercased(input.scalars[index], to: &mapped)
            for scalar in mapped { output.append(scalar, start: input.starts[index], end: input.ends[index]) }
        }
        return output
    }
}
