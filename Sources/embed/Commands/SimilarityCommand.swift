import ArgumentParser
import EmbedCore
import EmbedEngine
import Foundation

/// `embed similarity`: a cosine similarity table of a few texts and images.
struct SimilarityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Embed a few texts and images and print their dimension and a cosine similarity table.",
        discussion: """
            Each argument is a text, except one that names an existing file ending in .jpg, .jpeg, \
            .png, .webp, .gif or .bmp (any case): that file is an image (a model with a vision tower, \
            such as CLIP: texts and images in one table, zero-shot). An argument ending in such an \
            extension, without white space, that names no file is an error rather than a text. \
            --no-detect-images makes every argument a text; --image FILE (repeatable) is always an \
            image, and --image files come first in the table, then the arguments in order. Rows show \
            an image's file name and a text cut to \(Self.labelWidth) characters; the inputs that were \
            shortened are listed in full below the table. --format json prints the inputs and the             cosines at full precision instead.
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var logging: LoggingOptions

    @Option(name: .long, help: ArgumentHelp("An image file (repeatable; before the arguments in the table).", valueName: "file"))
    var image: [String] = []

    @Flag(inversion: .prefixedNo, help: "Read an argument naming an existing .jpg/.jpeg/.png/.webp/.gif/.bmp file as that image.")
    var detectImages = true

    @Argument(help: "Texts and image files: two or more inputs in all, with --image.")
    var texts: [String] = []

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    /// `--format json`: the inputs in table order and every cosine (row by row).
    struct Report: Encodable {
        struct Input: Encodable {
            var kind: String
            var text: String?
            var path: String?
        }

        var model: String
        var engine: String
        var dimension: Int
        var inputs: [Input]
        var cosines: [[Float]]
    }

    /// Characters of a row label.
    static let labelWidth = 24

    func validate() throws {
        guard texts.count + image.count >= 2 else { throw ValidationError("give at least two texts or images") }
    }

    func run() async throws {
        let inputs = try MixedInputs(images: image, arguments: texts, detectImages: detectImages)
        let start = ContinuousClock.now
        let embedder = try await model.embedder(model.prepare(logging: logging))
        let loaded = ContinuousClock.now
        let result: EmbeddingResult
        do {
            result = try await embedder.embed(try inputs.inputs(limit: embedder.configuration.images.maxBytes))
        } catch let error as EmbedError {
            throw CLIError(ImageFiles.naming(error.message, subjects: inputs.subjects))
        }
        let done = ContinuousClock.now
        let cosines = try result.embeddings.map { row in try result.embeddings.map { try VectorMath.cosine(row, $0) } }
        var output = StandardOutput()
        if format == .json {
            let report = Report(
                model: embedder.info.name, engine: result.engine, dimension: embedder.info.dimension,
                inputs: inputs.items.map { item in
                    switch item {
                    case .text(let text): Report.Input(kind: "text", text: text)
                    case .image(let path): Report.Input(kind: "image", path: path)
                    }
                }, cosines: cosines)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            output.writeLine(String(decoding: try encoder.encode(report), as: UTF8.self))
            output.flush()
            return
        }
        let files = embedder.info.towers.count > 1 ? embedder.info.towers.map(\.path).joined(separator: ", ") : embedder.info.runtime?.onnxPath
        output.writeLine("model      \(embedder.info.name) (\(files ?? "no model file"))")
        output.writeLine("engine     \(result.engine)")
        output.writeLine("dimension  \(embedder.info.dimension), pooling \(embedder.info.pooling?.description ?? "in model"), normalized \(embedder.info.normalize)")
        output.writeLine("time       load \(Self.milliseconds(start, loaded)) ms, embed \(Self.counted(inputs)) \(Self.milliseconds(loaded, done)) ms")
        output.writeLine("")
        for line in Self.table(inputs, cosines) { output.writeLine(line) }
        output.flush()
    }

    /// The cosine table: a header of column numbers, one row per input (`[n] label` then the
    /// cosines), then the inputs whose label is not the whole input.
    static func table(_ inputs: MixedInputs, _ cosines: [[Float]]) -> [String] {
        let labels = inputs.items.indices.map { "[\($0 + 1)] " + inputs.label($0, width: labelWidth) }
        let width = (labels.map(\.count).max() ?? 0) + 2
        var lines = [
            String(repeating: " ", count: width)
                + cosines.indices.map { "[\($0 + 1)]".padding(toLength: 7, withPad: " ", startingAt: 0) }.joined()
        ].map(trimmed)
        for (row, values) in cosines.enumerated() {
            let line = labels[row].padding(toLength: width, withPad: " ", startingAt: 0) + values.map { String(format: "%-7.3f", $0) }.joined()
            lines.append(trimmed(line))
        }
        let shortened = inputs.items.indices.filter { inputs.isShortened($0, width: labelWidth) }
        if !shortened.isEmpty { lines.append("") }
        for index in shortened { lines.append("[\(index + 1)] \(inputs.full(index))") }
        return lines
    }

    /// `line` without its trailing spaces.
    static func trimmed(_ line: String) -> String {
        String(line[..<(line.lastIndex { $0 != " " }.map(line.index(after:)) ?? line.startIndex)])
    }

    /// "6 texts", "1 image and 2 texts".
    static func counted(_ inputs: MixedInputs) -> String {
        func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        if inputs.imageCount == 0 { return plural(inputs.textCount, "text") }
        if inputs.textCount == 0 { return plural(inputs.imageCount, "image") }
        return plural(inputs.imageCount, "image") + " and " + plural(inputs.textCount, "text")
    }

    static func milliseconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> Int {
        Int(from.duration(to: to).inMilliseconds)
    }
}
