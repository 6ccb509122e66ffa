import EmbedEngine
import Foundation

/// `embed encode --image` / `--images`: image files read (size checked before reading) and
/// embedded a chunk at a time; an engine error about an input names its file.
struct ImageFiles {
    let embedder: Embedder
    /// Images per call: memory stays flat on long lists.
    static let chunk = 256

    /// Embeds `paths`, then (when `input` is given) the paths listed in that file, one per line.
    func encode(paths: [String], input: String?, to output: inout StandardOutput) async throws {
        var chunk: [String] = paths
        if let input {
            var number = 0
            for bytes in try LineReader(path: input) {
                number += 1
                let line = try NumberedLine(number: number, bytes: bytes)
                guard !line.text.isEmpty else { throw CLIError("line \(number): an empty path") }
                chunk.append(line.text)
                if chunk.count == Self.chunk {
                    try await embed(chunk, to: &output)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        }
        try await embed(chunk, to: &output)
    }

    private func embed(_ paths: [String], to output: inout StandardOutput) async throws {
        guard !paths.isEmpty else { return }
        let limit = embedder.configuration.images.maxBytes
        let inputs = try paths.map { path in EmbeddingInput.image(try Self.read(path, limit: limit)) }
        do {
            try EncodeCommand.write(try await embedder.embed(inputs).embeddings, to: &output)
        } catch let error as EmbedError {
            throw CLIError(Self.naming(error.message, paths: paths))
        }
    }

    /// The file's bytes, refused past `limit` before they are read.
    static func read(_ path: String, limit: Int) throws -> Data {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        guard let size else { throw CLIError("cannot read image file \(path)") }
        guard size <= limit else { throw CLIError("image file \(path) is \(size) bytes, more than the limit of \(limit)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read image file \(path)") }
        return data
    }

    /// `input N: …` (the engine's words) as `image file FILE: …`.
    static func naming(_ message: String, paths: [String]) -> String {
        naming(message, subjects: paths.map { "image file \($0)" })
    }

    /// `input N: …` (the engine's words) as `SUBJECT: …`, the subject of input N.
    static func naming(_ message: String, subjects: [String]) -> String {
        guard message.hasPrefix("input "), let colon = message.firstIndex(of: ":"),
            let index = Int(message[message.index(message.startIndex, offsetBy: 6)..<colon]), subjects.indices.contains(index)
        else { return message }
        return "\(subjects[index])\(message[colon...])"
    }
}
