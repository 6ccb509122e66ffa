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
            from --image FILE (repeatable), or from --images-from LIST (one path per line; - for standard \
            input; the same as --input LIST --images), paths relative to the working directory. Output: \
            one line per input, in input order, on standard output; each value reads back as the same float32. \
            A summary (texts, seconds, texts/s) goes to standard error at the end, with a progress line \
            while it runs when standard error is a terminal.

            Bulk runs: --output-dir DIR writes part files and a manifest instead (from --input FILE), \
            --shard K/N embeds only shard K of N (contiguous ranges of lines), --part-size lines per \
            part, --format jsonl or npy; a rerun keeps the parts whose checksums match and recomputes \
            the rest. `embed merge DIR` checks every shard and joins them in input order.

            Fused pairs: --fuse mean|concat embeds a text and an image per pair and prints one \
            vector per pair (both normalised, then weight × text + (1 − weight) × image with \
            --fusion-weight, 0.5 by default, or concatenated; optionally through \
            --fusion-projection; normalised again). Pairs come from --image FILE with one text argument per \
            image, in order, or from --jsonl lines {"text": "...", "image": "path"} (--input or standard input; \
            paths relative to the working directory).
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

    @Option(name: .long, help: ArgumentHelp("A file with one image path per line, or - for standard input (after any --image files).", valueName: "list"))
    var imagesFrom: String?

    @Option(name: .long, help: ArgumentHelp("Fuse each text and image pair into one vector: mean or concat.", valueName: "mode"))
    var fuse: FuseMode?

    @Option(name: .long, help: ArgumentHelp("With --fuse mean: the text's share, in [0, 1] (default 0.5).", valueName: "w"))
    var fusionWeight: Float?

    @Option(name: .long, help: ArgumentHelp("With --fuse: a .safetensors linear projection of the fused vector (weight [out, in], optional bias).", valueName: "file"))
    var fusionProjection: String?

    @Argument(help: "Texts to embed (instead of --input).")
    var texts: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write part files and a manifest into this folder instead of standard output (needs --input FILE); a rerun resumes.", valueName: "dir"))
    var outputDir: String?

    @Option(name: .long, help: ArgumentHelp("With --output-dir: embed only shard K of N (0-based), lines ⌊K·L/N⌋+1 to ⌊(K+1)·L/N⌋ of the L lines.", valueName: "K/N"))
    var shard: String?

    @Option(name: .long, help: "With --output-dir: lines per part file; a killed run loses at most one part. (default: \(Self.defaultPartSize))")
    var partSize: Int?

    @Option(name: .long, help: "With --output-dir: jsonl (one JSON array per line) or npy (float32 .npy plus .ids.npy of line numbers). (default: jsonl)")
    var format: OutputFormat?

    @Flag(name: .long, help: "With --output-dir: recompute a shard made with another model, options or input instead of refusing.")
    var force = false

    static let defaultPartSize = 10_000

    /// `--fuse`'s modes.
    enum FuseMode: String, ExpressibleByArgument, CaseIterable {
        case mean
        case concat

        var mode: Fusion.Mode { self == .mean ? .average : .concatenate }
    }

    func validate() throws {
        if fuse != nil { return try validateFused() }
        if imagesFrom != nil && (input != nil || images || jsonl || !texts.isEmpty || outputDir != nil) {
            throw ValidationError("--images-from reads image paths: --input, --images, --jsonl, --output-dir and texts do not apply")
        }
        if fusionProjection != nil || fusionWeight != nil { throw ValidationError("--fusion-projection and --fusion-weight need --fuse") }
        if input != nil && !texts.isEmpty {
            throw ValidationError("give texts as arguments or with --input, not both")
        }
        if !image.isEmpty && (input != nil || !texts.isEmpty) {
            throw ValidationError("give images with --image, or texts and --input, not both")
        }
        if images && jsonl { throw ValidationError("--images and --jsonl cannot be combined: --images lines are paths") }
        if images && !texts.isEmpty { throw ValidationError("--images reads paths from --input or standard input, not arguments") }
        if let shard { _ = try ShardSpec(parsing: shard) }
        if let partSize, partSize < 1 { throw ValidationError("--part-size must be at least 1, got \(partSize)") }
        guard outputDir != nil else {
            let given = [("--shard", shard != nil), ("--part-size", partSize != nil), ("--format", format != nil), ("--force", force)]
            if let flag = given.first(where: \.1) { throw ValidationError("\(flag.0) needs --output-dir") }
            return
        }
        if !image.isEmpty || images { throw ValidationError("--output-dir embeds texts, not images") }
        guard let input, input != "-" else {
            throw ValidationError(
                "--output-dir needs --input FILE (not standard input or arguments): the file's size and SHA-256 are recorded so that a rerun can resume")
        }
    }

    /// `--fuse`: pairs from `--image` and as many text arguments, or from `--jsonl` lines.
    private func validateFused() throws {
        if let fusionWeight {
            guard fuse == .mean else { throw ValidationError("--fusion-weight applies to --fuse mean") }
            guard (0...1).contains(fusionWeight) else { throw ValidationError("--fusion-weight must be between 0 and 1, got \(fusionWeight)") }
        }
        if images || imagesFrom != nil {
            throw ValidationError("--fuse takes pairs from --image with text arguments or from --jsonl lines, not --images or --images-from")
        }
        if outputDir != nil || shard != nil || partSize != nil || format != nil || force {
            throw ValidationError("--fuse writes to standard output: --output-dir, --shard, --part-size, --format and --force do not apply")
        }
        if !image.isEmpty {
            if input != nil || jsonl { throw ValidationError("--fuse pairs come from --image with text arguments, or from --jsonl lines, not both") }
            guard texts.count == image.count else {
                throw ValidationError("--fuse pairs each --image with one text argument, in order: got \(image.count) images and \(texts.count) texts")
            }
        } else if !jsonl || !texts.isEmpty {
            throw ValidationError(
                "--fuse needs pairs: --image FILE with one text argument each, or --jsonl lines {\"text\": ..., \"image\": \"path\"} from --input or standard input")
        }
    }

    func run() async throws {
        let prepared = try model.prepare(logging: logging)
        let embedder = try await model.embedder(prepared)
        if let outputDir, let input {
            let progress = try await ShardedEncode(
                embedder: embedder, input: input, jsonl: jsonl, shard: try shard.map { try ShardSpec(parsing: $0) } ?? .whole,
                folder: URL(fileURLWithPath: outputDir), format: format ?? .jsonl, partSize: partSize ?? Self.defaultPartSize,
                force: force, model: prepared.settings.model
            ).run()
            progress.finish()
            return
        }
        var output = StandardOutput()
        if let fuse {
            let fusion: Fusion
            do {
                fusion = try Fusion(
                    mode: fuse.mode, dimension: embedder.info.dimension, weight: fusionWeight ?? 0.5, projection: fusionProjection.map { URL(fileURLWithPath: $0) })
            } catch {
                throw CLIError(error.message)
            }
            let pairs = zip(texts, image).enumerated().map { FusedPairs.Pair(text: $1.0, image: $1.1, label: "pair \($0 + 1)") }
            try await FusedPairs(embedder: embedder, fusion: fusion).encode(pairs: pairs, jsonl: image.isEmpty ? input ?? "-" : nil, to: &output)
            output.flush()
            return
        }
        if !image.isEmpty || images || imagesFrom != nil {
            let list = imagesFrom ?? (image.isEmpty ? input ?? "-" : nil)
            try await ImageFiles(embedder: embedder).encode(paths: image, input: list, to: &output)
            output.flush()
            return
        }
        if !texts.isEmpty {
            try await Self.write(embedder.embed(texts), to: &output)
            output.flush()
            return
        }
        // Stream: embed a chunk of lines at a time so memory stays flat on large files.
        var progress = EncodeProgress(total: nil)
        var chunk: [String] = []
        var number = 0
        for bytes in try LineReader(path: input ?? "-") {
            number += 1
            let line = try NumberedLine(number: number, bytes: bytes)
            chunk.append(jsonl ? try Self.text(ofJSONLine: line) : line.text)
            if chunk.count == 4096 {
                try await Self.write(embedder.embed(chunk), to: &output)
                progress.advance(by: chunk.count)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try await Self.write(embedder.embed(chunk), to: &output)
        progress.advance(by: chunk.count)
        output.flush()
        progress.finish()
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
