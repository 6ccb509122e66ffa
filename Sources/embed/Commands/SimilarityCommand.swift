import ArgumentParser
import EmbedCore
import EmbedEngine
import Foundation

/// `embed similarity`: a cosine similarity table of a few texts.
struct SimilarityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Embed a few texts and print their dimension and a cosine similarity table.")

    @OptionGroup var model: ModelOptions
    @OptionGroup var logging: LoggingOptions

    @Argument(help: "Two or more texts.")
    var texts: [String]

    func validate() throws {
        guard texts.count >= 2 else { throw ValidationError("give at least two texts") }
    }

    func run() async throws {
        let start = ContinuousClock.now
        let embedder = try await model.embedder(model.prepare(logging: logging))
        let loaded = ContinuousClock.now
        let result = try await embedder.embedWithDetails(texts)
        let done = ContinuousClock.now
        var output = StandardOutput()
        output.writeLine("model      \(embedder.info.name) (\(embedder.info.runtime?.onnxPath ?? "no model file"))")
        output.writeLine("engine     \(result.engine)")
        output.writeLine("dimension  \(embedder.info.dimension), pooling \(embedder.info.pooling?.description ?? "in model"), normalized \(embedder.info.normalize)")
        output.writeLine("time       load \(Self.milliseconds(start, loaded)) ms, embed \(texts.count) texts \(Self.milliseconds(loaded, done)) ms")
        output.writeLine("")
        let labels = texts.indices.map { "[\($0 + 1)]" }
        output.writeLine("      " + labels.map { $0.padding(toLength: 7, withPad: " ", startingAt: 0) }.joined())
        for (row, vector) in result.embeddings.enumerated() {
            var line = labels[row].padding(toLength: 6, withPad: " ", startingAt: 0)
            for other in result.embeddings {
                line += String(format: "%-7.3f", try VectorMath.cosine(vector, other))
            }
            output.writeLine(line)
        }
        output.writeLine("")
        for (label, text) in zip(labels, texts) { output.writeLine("\(label) \(text)") }
        output.flush()
    }

    static func milliseconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> Int {
        Int(from.duration(to: to).inMilliseconds)
    }
}
