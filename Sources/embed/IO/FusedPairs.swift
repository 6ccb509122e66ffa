import EmbedCore
import EmbedEngine
import Foundation

/// `embed encode --fuse MODE`: pairs of a text and an image file, each embedded by its tower
/// and fused (``Fusion``) into one vector, a chunk of pairs at a time; an error names the
/// pair's line or place and, for an image, its file.
struct FusedPairs {
    /// One pair: its text, its image file, and how messages name it (`line 3`, `pair 2`).
    struct Pair {
        var text: String
        var image: String
        var label: String
    }

    let embedder: Embedder
    let fusion: Fusion
    /// Pairs per call: memory stays flat on long lists.
    static let chunk = 128

    /// Embeds `pairs`, then (when `jsonl` is given) the pairs of that file, one JSON object
    /// `{"text": ..., "image": "path"}` per line.
    func encode(pairs: [Pair], jsonl: String?, to output: inout StandardOutput) async throws {
        var chunk = pairs
        if let jsonl {
            var number = 0
            for bytes in try LineReader(path: jsonl) {
                number += 1
                chunk.append(try Self.pair(ofJSONLine: try NumberedLine(number: number, bytes: bytes)))
                if chunk.count == Self.chunk {
                    try await embed(chunk, to: &output)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        }
        try await embed(chunk, to: &output)
    }

    private func embed(_ pairs: [Pair], to output: inout StandardOutput) async throws {
        guard !pairs.isEmpty else { return }
        let limit = embedder.configuration.images.maxBytes
        let items = try pairs.map { pair in (text: pair.text, image: try ImageFiles.read(pair.image, limit: limit)) }
        do {
            try EncodeCommand.write(try await embedder.embedFused(items, fusion: fusion), to: &output)
        } catch let error as EmbedError {
            throw CLIError(Self.naming(error.message, pairs: pairs))
        }
    }

    /// `input K: …` (the engine's words; pair k is inputs 2k and 2k + 1) as
    /// `line 3, image file a.jpg: …` or `line 3, text: …`.
    static func naming(_ message: String, pairs: [Pair]) -> String {
        guard message.hasPrefix("input ") else { return message }
        let rest = message.dropFirst(6)
        let digits = rest.prefix(while: \.isNumber)
        guard let index = Int(digits), pairs.indices.contains(index / 2) else { return message }
        let pair = pairs[index / 2]
        let part = index.isMultiple(of: 2) ? "text" : "image file \(pair.image)"
        return "\(pair.label), \(part)\(rest.dropFirst(digits.count))"
    }

    /// A line `{"text": "...", "image": "path"}`: both strings, no other keys.
    static func pair(ofJSONLine line: NumberedLine) throws -> Pair {
        let label = "line \(line.number)"
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(line.text.utf8)) else {
            throw CLIError("\(label) is not valid JSON")
        }
        guard case .object(let fields) = value else {
            throw CLIError("\(label): must be a JSON object {\"text\": ..., \"image\": \"path\"}, got \(value.typeName)")
        }
        if let unknown = fields.keys.sorted().first(where: { $0 != "text" && $0 != "image" }) {
            throw CLIError("\(label): unknown field '\(unknown)'; a pair has \"text\" and \"image\"")
        }
        func string(_ key: String) throws -> String {
            guard let field = fields[key] else { throw CLIError("\(label): no \"\(key)\" field (a pair has both)") }
            guard case .string(let string) = field else { throw CLIError("\(label): \"\(key)\" must be a string, got \(field.typeName)") }
            return string
        }
        let image = try string("image")
        guard !image.isEmpty else { throw CLIError("\(label): an empty image path") }
        return Pair(text: try string("text"), image: image, label: label)
    }
}
