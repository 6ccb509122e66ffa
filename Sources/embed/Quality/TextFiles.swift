import Foundation

/// Text inputs of the toolchain commands: plain lines and query/document pairs.
enum TextFiles {
    /// The non-empty lines of `path`.
    static func lines(_ path: String, limit: Int = .max) throws -> [String] {
        var texts: [String] = []
        var number = 0
        for bytes in try LineReader(path: path) where texts.count < limit {
            number += 1
            let line = try NumberedLine(number: number, bytes: bytes)
            if !line.text.trimmingCharacters(in: .whitespaces).isEmpty { texts.append(line.text) }
        }
        return texts
    }

    /// The first `limit` `{"query": …, "document": …}` lines of a JSONL file.
    static func pairs(_ path: String, limit: Int) throws -> [(query: String, document: String)] {
        struct Pair: Decodable {
            var query: String
            var document: String
        }
        var pairs: [(query: String, document: String)] = []
        var number = 0
        for bytes in try LineReader(path: path) where pairs.count < limit {
            number += 1
            let line = try NumberedLine(number: number, bytes: bytes)
            guard !line.text.isEmpty else { continue }
            do {
                let pair = try JSONDecoder().decode(Pair.self, from: Data(line.text.utf8))
                pairs.append((pair.query, pair.document))
            } catch {
                throw CLIError("\(path) line \(number): expected {\"query\": …, \"document\": …}")
            }
        }
        return pairs
    }
}
