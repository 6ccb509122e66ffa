import ArgumentParser
import EmbedCore
import EmbedEngine
import EmbedORT
import Foundation

/// `embed inspect`: what a model is and how it will run.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a model: inputs, outputs, dimension, pooling, maximum length, ONNX Runtime.")

    @OptionGroup var model: ModelOptions
    @OptionGroup var logging: LoggingOptions

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let embedder = try await Embedder(model.source(), configuration: model.configuration(), logger: logging.makeLogger())
        let info = embedder.info
        var output = StandardOutput()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            output.writeLine(String(decoding: try encoder.encode(InspectReport(info)), as: UTF8.self))
        } else {
            for (label, value) in InspectReport(info).lines { output.writeLine("\(label.padding(toLength: 20, withPad: " ", startingAt: 0))\(value)") }
        }
        output.flush()
    }
}

/// The facts `embed inspect` prints.
struct InspectReport: Encodable {
    var model: String
    var path: String
    var onnxFile: String
    var onnxFileBytes: Int64
    var tokenizer: String
    var inputs: [String]
    var outputs: [String]
    var outputUsed: String
    var dimension: Int
    var pooling: String
    var normalize: Bool
    var normalizeSource: String
    var maxLength: Int
    var maxLengthSource: String
    var onnxRuntimeVersion: String
    var onnxRuntimeLibrary: String
    var executionProvider: String
    var availableProviders: [String]
    var intraOpThreads: Int
    var producer: String
    var customMetadata: [String: String]

    init(_ info: ModelInfo) {
        model = info.name
        path = info.path
        onnxFile = info.onnxPath
        onnxFileBytes = info.onnxFileSize
        tokenizer = info.tokenizerPath
        inputs = info.inputs.map(\.description)
        outputs = info.outputs.map(\.description)
        outputUsed = info.outputName
        dimension = info.dimension
        pooling = info.pooling?.description ?? "none (the model's output is pooled)"
        normalize = info.normalize
        normalizeSource = info.normalizeSource
        maxLength = info.maxLength.value
        maxLengthSource = info.maxLength.source
        onnxRuntimeVersion = info.runtimeVersion
        onnxRuntimeLibrary = info.runtimePath
        executionProvider = info.executionProvider
        availableProviders = info.availableProviders
        intraOpThreads = info.intraOpThreads
        producer = info.metadata.producerName
        customMetadata = info.metadata.custom
    }

    var lines: [(String, String)] {
        let megabytes = Double(onnxFileBytes) / 1_000_000
        return [
            ("model", model), ("path", path),
            ("onnx file", "\(onnxFile) (\(String(format: "%.1f", megabytes)) MB)"), ("tokenizer", tokenizer),
            ("inputs", inputs.joined(separator: ", ")), ("outputs", outputs.joined(separator: ", ")),
            ("output used", outputUsed), ("dimension", String(dimension)), ("pooling", pooling),
            ("normalize", "\(normalize) (\(normalizeSource))"), ("max length", "\(maxLength) (\(maxLengthSource))"),
            ("onnx runtime", "\(onnxRuntimeVersion) (\(onnxRuntimeLibrary))"), ("provider", executionProvider),
            ("available providers", availableProviders.joined(separator: ", ")),
            ("intra-op threads", String(intraOpThreads)), ("producer", producer.isEmpty ? "-" : producer),
        ] + customMetadata.sorted { $0.key < $1.key }.map { ("metadata \($0.key)", $0.value) }
    }
}
