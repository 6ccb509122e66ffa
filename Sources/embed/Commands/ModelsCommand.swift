import ArgumentParser
import EmbedCore
import EmbedEngine
import Foundation

/// `embed models`: the registry of known models.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models swift-embed knows: dimension, pooling, prompts, maximum length, license, ONNX files, support.",
        discussion: """
            The registry only adds information: a model's own files always win, and a value taken from \
            the registry (e.g. BGE's query prompt, which is not in its files) is logged. Any other \
            sentence-transformers model works from its own files. Facts that could not be verified \
            against the model's repository are marked as such (--format json lists them with sources).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, markdown }

    @Option(name: .long, help: "table, json or markdown.")
    var format: Format = .table

    func run() throws {
        var output = StandardOutput()
        switch format {
        case .table: output.write(ModelsReport.table())
        case .markdown: output.write(ModelsReport.markdown())
        case .json: output.writeLine(try ModelsReport.json())
        }
        output.flush()
    }
}

/// The registry as text.
enum ModelsReport {
    static func prompts(_ model: KnownModel) -> String {
        model.prompts.isEmpty ? "-" : model.prompts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.debugDescription)" }.joined(separator: ", ")
    }

    static func support(_ model: KnownModel) -> String {
        switch model.support {
        case .supported: "yes"
        case .needsTokenizer(let components): "when the tokenizer has \(components)"
        case .unsupported(let reason): "no: \(reason)"
        }
    }

    static func table() -> String {
        let header = ["model", "dim", "pooling", "norm", "max", "license", "supported"]
        let rows = KnownModels.all.map { model in
            [model.id, String(model.dimension), model.pooling.description, model.normalize ? "yes" : "no", String(model.maxLength),
             model.license, model.support.label]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var text = ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n\n"
        for model in KnownModels.all where !model.prompts.isEmpty {
            text += "\(model.id) prompts: \(prompts(model))\n"
        }
        text += "\nunverified facts and sources: embed models --format json\n"
        return text
    }

    static func markdown() -> String {
        var lines = [
            "| Model | Dim | Pooling | Normalized | Max length | Prompts | License | ONNX files upstream | Runs in swift-embed |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for model in KnownModels.all {
            let onnx = model.onnxFiles.isEmpty ? "unverified" : model.onnxFiles.map { "`\($0)`" }.joined(separator: ", ")
            let promptText = model.prompts.isEmpty ? "-" : model.prompts.sorted { $0.key < $1.key }.map { "`\($0.key)`: `\($0.value)`" }.joined(separator: ", ")
            var cells = [
                "`\(model.id)`", String(model.dimension), model.pooling.description, model.normalize ? "yes" : "no",
                String(model.maxLength), promptText, model.license, onnx, support(model),
            ]
            if !model.unverified.isEmpty { cells[0] += " (unverified: \(model.unverified.joined(separator: "; ")))" }
            lines.append("| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json() throws -> String {
        struct Entry: Encodable {
            var id, architecture, pooling, license, support, notes: String
            var dimension, maxLength: Int
            var normalize: Bool
            var prompts: [String: String]
            var onnxFiles, unverified, sources: [String]
        }
        let entries = KnownModels.all.map { model in
            Entry(
                id: model.id, architecture: model.architecture, pooling: model.pooling.description, license: model.license,
                support: support(model), notes: model.notes, dimension: model.dimension, maxLength: model.maxLength,
                normalize: model.normalize, prompts: model.prompts, onnxFiles: model.onnxFiles, unverified: model.unverified,
                sources: model.sources)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(entries), as: UTF8.self)
    }
}
