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
        let embedder = try await model.embedder(model.prepare(logging: logging))
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
    var engine: String
    var dimension: Int
    var pooling: String
    var normalize: Bool
    var normalizeSource: String
    var maxLength: Int
    var maxLengthSource: String
    var fallbacks: [String]
    var outputModules: [String]
    var prompts: [String: String]
    var defaultPromptName: String?
    var promptsSource: String
    var knownModel: String?
    var filledFromRegistry: [String]
    var towers: [TowerReport]
    /// `clip` or `siglip` for an image–text folder, else absent.
    var family: String?
    var onnx: ONNXReport?

    /// A tower and the ONNX file that runs it.
    struct TowerReport: Encodable {
        var tower: String
        var onnxFile: String
        var inputs: [String]
        var output: String
        var quantized: Bool
        /// The file runs both towers (a joint CLIP export).
        var joint: Bool
    }

    struct ONNXReport: Encodable {
        var onnxFile: String
        var onnxFileBytes: Int64
        var quantized: Bool
        var quantizationEvidence: [String]
        var tokenizer: String
        var inputs: [String]
        var outputs: [String]
        var outputUsed: String
        /// `onnxruntime` or `openvino`.
        var runtime: String
        /// The precision the runtime computes in, when it reports one (OpenVINO).
        var precision: String?
        var onnxRuntimeVersion: String
        var onnxRuntimeLibrary: String
        var executionProvider: String
        var availableProviders: [String]
        var intraOpThreads: Int
        var optimizedGraph: String?
        var producer: String
        var customMetadata: [String: String]
    }

    init(_ info: ModelInfo) {
        model = info.name
        path = info.path
        engine = info.engine
        dimension = info.dimension
        pooling = info.pooling?.description ?? "none"
        normalize = info.normalize
        normalizeSource = info.normalizeSource
        maxLength = info.maxLength.value
        maxLengthSource = info.maxLength.source
        fallbacks = info.fallbacks
        outputModules = info.outputModules
        prompts = info.prompts.prompts
        defaultPromptName = info.prompts.defaultPromptName
        promptsSource = info.prompts.source
        knownModel = info.knownModel
        filledFromRegistry = info.filledFromRegistry
        family = info.family
        towers = info.towers.map {
            TowerReport(
                tower: $0.tower.rawValue, onnxFile: $0.path, inputs: $0.inputs, output: $0.output, quantized: $0.quantized,
                joint: $0.isJoint)
        }
        onnx = info.runtime.map { runtime in
            ONNXReport(
                onnxFile: runtime.onnxPath, onnxFileBytes: runtime.onnxFileSize,
                quantized: runtime.quantization.isQuantized, quantizationEvidence: runtime.quantization.evidence,
                tokenizer: runtime.tokenizerPath, inputs: runtime.inputs.map(\.description),
                outputs: runtime.outputs.map(\.description), outputUsed: runtime.outputName,
                runtime: runtime.runtime, precision: runtime.inferencePrecision, onnxRuntimeVersion: runtime.runtimeVersion, onnxRuntimeLibrary: runtime.runtimePath,
                executionProvider: runtime.executionProvider, availableProviders: runtime.availableProviders,
                intraOpThreads: runtime.intraOpThreads, optimizedGraph: runtime.optimizedGraph, producer: runtime.metadata.producerName,
                customMetadata: runtime.metadata.custom)
        }
        if info.pooling == nil, info.runtime != nil { pooling = "none (the model's output is pooled)" }
    }

    var lines: [(String, String)] {
        var lines: [(String, String)] = [("model", model), ("path", path.isEmpty ? "-" : path), ("engine", engine)]
        if let family { lines.append(("family", family)) }
        if let onnx {
            let megabytes = Double(onnx.onnxFileBytes) / 1_000_000
            lines += [
                ("onnx file", "\(onnx.onnxFile) (\(String(format: "%.1f", megabytes)) MB)"),
                ("quantized", onnx.quantized ? "yes (\(onnx.quantizationEvidence.joined(separator: "; ")))" : "no"),
                ("tokenizer", onnx.tokenizer), ("inputs", onnx.inputs.joined(separator: ", ")),
                ("outputs", onnx.outputs.joined(separator: ", ")), ("output used", onnx.outputUsed),
            ]
        }
        lines += towers.map { tower in
            let notes = (tower.quantized ? ", quantized" : "") + (tower.joint ? ", joint file of both towers" : "")
            return ("tower \(tower.tower)", "\(tower.onnxFile) (\(tower.inputs.joined(separator: ", ")) → \(tower.output)\(notes))")
        }
        lines += [
            ("dimension", String(dimension)), ("pooling", pooling), ("normalize", "\(normalize) (\(normalizeSource))"),
            ("max length", "\(maxLength) (\(maxLengthSource))"),
            ("after pooling", outputModules.isEmpty ? "-" : outputModules.joined(separator: ", ")),
        ]
        lines += prompts.sorted { $0.key < $1.key }.map {
            ("prompt \($0.key)", $0.value.debugDescription + ($0.key == defaultPromptName ? " (default)" : "") + " (\(promptsSource))")
        }
        if let knownModel {
            lines.append(("registry", knownModel + (filledFromRegistry.isEmpty ? "" : "; filled: \(filledFromRegistry.joined(separator: ", "))")))
        }
        if let onnx {
            lines += [
                ("runtime", "\(onnx.runtime) \(onnx.onnxRuntimeVersion) (\(onnx.onnxRuntimeLibrary))"),
                ("precision", onnx.precision ?? "the model's (fp32 graph: fp32)"),
                ("provider", onnx.executionProvider),
                ("available providers", onnx.availableProviders.joined(separator: ", ")),
                ("threads", onnx.intraOpThreads == 0 ? "0 (the runtime's choice)" : String(onnx.intraOpThreads)),
                ("optimised graph", onnx.optimizedGraph ?? "not cached"), ("producer", onnx.producer.isEmpty ? "-" : onnx.producer),
            ]
            lines += onnx.customMetadata.sorted { $0.key < $1.key }.map { ("metadata \($0.key)", $0.value) }
        }
        lines += fallbacks.map { ("fallback", $0) }
        return lines
    }
}
