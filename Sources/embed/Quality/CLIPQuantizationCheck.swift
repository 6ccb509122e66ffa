import EmbedCore
import EmbedEngine
import Foundation

/// Compares a CLIP folder's fp32 towers with their int8 variants through the engine: the
/// cosine of the text tower's vectors on the check texts and of the vision tower's on the
/// check images, and the speed of each tower (best of three alternated rounds).
struct CLIPQuantizationCheck {
    var folder: URL
    /// The fp32 towers present, relative to the folder (`onnx/text_model.onnx`, …).
    var towers: [String]
    var prepared: ModelOptions.Prepared
    var options: ToolchainOptions
    var checkTexts: [String]
    var checkImages: [URL]

    /// The tower files of a CLIP folder in the split layout, or `nil` when it is not one
    /// (it has `onnx/model.onnx`, or no tower file).
    static func towers(in folder: URL) -> [String]? {
        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path) }
        let towers = ["onnx/text_model.onnx", "onnx/vision_model.onnx"].filter(exists)
        return towers.isEmpty || exists("onnx/model.onnx") ? nil : towers
    }

    static func quantized(_ tower: String) -> String { tower.replacingOccurrences(of: ".onnx", with: "_quantized.onnx") }

    /// The report's lines and the lower of the towers' mean cosines.
    func run() async throws -> (lines: [String], mean: Float) {
        let fp32 = try await embedder(towers)
        let int8 = try await embedder(towers.map(Self.quantized))
        var lines: [String] = ["variant    \(towers.map(Self.quantized).joined(separator: ", "))"]
        var worstMean: Float = 1
        var inputs: [(String, [EmbeddingInput], [String])] = []
        if towers.contains("onnx/text_model.onnx") { inputs.append(("texts", checkTexts.map(EmbeddingInput.text), checkTexts)) }
        if towers.contains("onnx/vision_model.onnx") {
            let images = try checkImages.map { EmbeddingInput.image(try Data(contentsOf: $0)) }
            inputs.append(("images", images, checkImages.map(\.lastPathComponent)))
        }
        for (kind, batch, names) in inputs {
            let summary = try CosineSummary(try await int8.embed(batch).embeddings, try await fp32.embed(batch).embeddings)
            worstMean = min(worstMean, summary.mean)
            lines.append("quality    int8 vs fp32 on \(batch.count) \(kind): \(summary.describe(texts: names))")
            var best = [Double](repeating: 0, count: 2)
            for _ in 0..<3 {
                for (index, embedder) in [fp32, int8].enumerated() {
                    let start = ContinuousClock.now
                    _ = try await embedder.embed(batch)
                    best[index] = max(best[index], Double(batch.count) / start.duration(to: .now).inSeconds)
                }
            }
            lines.append(String(format: "speed      %@: fp32 %.1f/s, int8 %.1f/s (%.2f×, best of 3 alternated rounds)", kind, best[0], best[1], best[1] / best[0]))
        }
        lines.append("mean       \(CosineSummary.format(worstMean)) (the lower of the towers' mean cosines)")
        return (lines, worstMean)
    }

    private func embedder(_ files: [String]) async throws -> Embedder {
        try await Embedder(
            .folder(folder), configuration: try options.checkConfiguration(prepared, onnxFile: files.joined(separator: ",")),
            logger: prepared.logger)
    }
}
