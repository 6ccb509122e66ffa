import EmbedEngine
import Foundation

/// The texts `embed bench` measures, read from a file (plain lines or JSONL) and split into
/// sets by token length so that one run answers "how fast for queries, for passages".
struct BenchTexts {
    /// A named set of texts.
    struct Set {
        var name: String
        var texts: [String]
        /// Tokens per text (the model's tokenizer, truncated as the engine does).
        var tokens: [Int]
    }

    /// Token-length bounds of the built-in sets (inclusive).
    static let bounds: [(name: String, range: ClosedRange<Int>)] = [
        ("short", 1...32), ("medium", 33...128), ("long", 129...Int.max),
    ]

    /// Reads up to `limit` non-empty texts per set: lines of `path`, or the `"text"` field of
    /// each JSON line when `jsonl`.
    static func read(_ path: String, jsonl: Bool) throws -> [String] {
        var texts: [String] = []
        var number = 0
        for bytes in try LineReader(path: path) {
            number += 1
            let line = try NumberedLine(number: number, bytes: bytes)
            let text = jsonl ? try EncodeCommand.text(ofJSONLine: line) : line.text
            if !text.isEmpty { texts.append(text) }
        }
        guard !texts.isEmpty else { throw CLIError("\(path) has no texts") }
        return texts
    }

    /// The sets named in `names` (`all`, `short`, `medium`, `long`), each of at most `limit`
    /// texts in input order; empty sets are left out.
    static func sets(_ names: [String], of texts: [String], limit: Int, tokens: (String) -> Int) -> [Set] {
        let counted = texts.map { ($0, tokens($0)) }
        return names.compactMap { name in
            let chosen: [(String, Int)]
            if name == "all" {
                chosen = Array(counted.prefix(limit))
            } else if let range = bounds.first(where: { $0.name == name })?.range {
                chosen = Array(counted.lazy.filter { range.contains($0.1) }.prefix(limit))
            } else {
                return nil
            }
            return chosen.isEmpty ? nil : Set(name: name, texts: chosen.map(\.0), tokens: chosen.map(\.1))
        }
    }
}
