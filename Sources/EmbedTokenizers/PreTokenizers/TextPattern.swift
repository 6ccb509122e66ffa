import EmbedCore

/// The `pattern` of `Split` and `Replace`: `{"String": "…"}` or `{"Regex": "…"}`.
enum TextPattern: Sendable, Decodable {
    /// Occurrences of a literal text.
    case literal([UInt32])
    /// Matches of an Oniguruma regular expression.
    case regex(RegexProgram)

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["String", "Regex"], in: "pattern")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        if let text = try container.optional(String.self, "String") {
            guard !text.isEmpty else {
                throw TokenizerError(.unsupportedComponent, "an empty String pattern is not supported")
            }
            self = .literal(text.unicodeScalars.map(\.value))
        } else if let source = try container.optional(String.self, "Regex") {
            self = .regex(try RegexProgram(pattern: source))
        } else {
            throw TokenizerError(.invalidFormat, "pattern has neither 'String' nor 'Regex'")
        }
    }

    /// Calls `body` with every match in `text[bounds]`, in order (none in empty text, where
    /// the library does not search).
    func forEachMatch(
        in text: [UInt32], bounds: Range<Int>, scratch: inout RegexScratch, _ body: (Range<Int>) -> Void
    ) {
        guard !bounds.isEmpty else { return }
        switch self {
        case .regex(let program):
            program.forEachMatch(in: text, bounds: bounds, scratch: &scratch, body)
        case .literal(let needle):
            // Leftmost, non-overlapping occurrences (the library escapes the text into a regex).
            guard let head = needle.first else { return }
            var index = bounds.lowerBound
            while index + needle.count <= bounds.upperBound {
                if text[index] == head && text[index..<(index + needle.count)].elementsEqual(needle) {
                    body(index..<(index + needle.count))
                    index += needle.count
                } else {
                    index += 1
                }
            }
        }
    }

    /// The library's `find_matches`: ranges covering `bounds`, each marked as a match or not
    /// (an empty match is kept as an empty range).
    func splits(in text: [UInt32], bounds: Range<Int>, scratch: inout RegexScratch, into result: inout [Split]) {
        result.removeAll(keepingCapacity: true)
        if bounds.isEmpty {
            result.append(Split(range: bounds, isMatch: false))
            return
        }
        var previous = bounds.lowerBound
        forEachMatch(in: text, bounds: bounds, scratch: &scratch) { match in
            if previous != match.lowerBound { result.append(Split(range: previous..<match.lowerBound, isMatch: false)) }
            result.append(Split(range: match, isMatch: true))
            previous = match.upperBound
        }
        if previous != bounds.upperBound { result.append(Split(range: previous..<bounds.upperBound, isMatch: false)) }
    }
}

/// A part of a text and whether a pattern matched it.
struct Split: Sendable {
    var range: Range<Int>
    var isMatch: Bool
}
