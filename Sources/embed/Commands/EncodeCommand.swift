import ArgumentParser
import EmbedEngine
import Foundation

/// `embed encode`: one JSON array of floats per input text or image, in order.
struct EncodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Embed texts or images and print one JSON array of floats per input.",
        discussion: """
            Texts come from the arguments, or from --input (one text per line; - for standard input), \
            or from standard input when neither is given. With --jsonl each line is a JSON object with \
            a "text" field. Images (JPEG, PNG, WebP; a model with a vision tower, such as CLIP) come \
            from --image FILE (repeatable), or from --input with --images (one path per line). Output: \
            one line per input, in input order, on standard output; each value reads back as the same float32.
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var logging: LoggingOptions

    @Option(name: .long, help: "A file with one text per line, or - for standard input.")
    var input: String?

    @Flag(name: .long, help: "Input lines are JSON objects with a \"text\" field.")
    var jsonl = false

    @Option(name: .long, help: ArgumentHelp("An image file to embed (repeatable; instead of texts).", valueName: "file"))
    var image: [String] = []

    @Flag(name: .long, help: "Input lines are paths of image files.")
    var images = false

    @Argument(help: "Texts to embed (instead of --input).")
    var texts: [String] = []

    func validate() throws {
        if input != nil && !texts.isEmpty {
            throw ValidationError("give texts as arguments or with --input, not both")
        }
        if !image.isEmpty && (input != nil || !texts.isEmpty) {
            throw ValidationError("give images with --image, or texts and --input, not both")
        }
        if images && jsonl { throw ValidationError("--images and --jsonl cannot be combined: --images lines are paths") }
        if images && !texts.isEmpty { throw ValidationError("--images reads paths from --input or standard input, not arguments") }
    }

    func run() async throws {
        let embedder = try await model.embedder(model.prepare(logging: logging))
        var output = StandardOutput()
        if !image.isEmpty || images {
            try await ImageFiles(embedder: embedder).encode(paths: image, input: image.isEmpty ? input ?? "-" : nil, to: &output)
            output.flush()
            return
        }
        if !texts.isEmpty {
            try await Self.write(embedder.embed(texts), to: &output)
            output.flush()
            return
        }
        // Stream: embed a chunk of lines at a time so memory stays flat on large files.
        var chunk: [String] = []
        var number = 0
        for bytes in try LineReader(path: input ?? "-") {
            number += 1
            let line = try NumberedLine(number: number, bytes: bytes)
            chunk.append(jsonl ? try Self.text(ofJSONLine: line) : line.text)
            if chunk.count == 4096 {
                try await Self.write(embedder.embed(chunk), to: &output)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try await Self.write(embedder.embed(chunk), to: &output)
        output.flush()
    }

    static func write(_ vectors: [[Float]], to output: inout StandardOutput) throws {
        for vector in vectors { output.writeLine(try StandardOutput.json(vector)) }
    }

    static func text(ofJSONLine line: NumberedLine) throws -> String {
        struct Line: Decodable { var text: String }
        do {
            return try JSONDecoder().decode(Line.self, from: Data(line.text.utf8)).text
        } catch DecodingError.keyNotFound {
            throw CLIError("line \(line.number): no \"text\" field")
        } catch DecodingError.typeMismatch {
            throw CLIError("line \(line.number): \"text\" must be a string in a JSON object")
        } catch {
            throw CLIError("line \(line.number) is not valid JSON")
        }
    }
}
