import Foundation

/// What `embed bench --images` measured.
struct ImageBenchReport: Encodable {
    /// Throughput and where the time went at one batch size.
    struct Run: Encodable {
        var batchSize: Int
        var images: Int
        var seconds: Double
        var imagesPerSecond: Double
        /// Per model batch (ms).
        var batchLatency: BenchReport.Stats?
        /// Per image: each batch's time divided by its size (ms).
        var itemLatency: BenchReport.Stats?
        /// Decoding and preprocessing the images (the engine's stage before the model).
        var decodeSeconds: Double?
        var inferenceSeconds: Double?
        var poolingSeconds: Double?
    }

    var model: String
    var engine: String
    var onnxFile: String
    var threads: Int
    var loadMilliseconds: Double
    /// The folder given to `--images`, the files taken from it and their total size.
    var folder: String
    var images: Int
    var bytes: Int
    var runs: [Run]
    /// Single-image latency (ms): decoding, preprocessing and the model.
    var latency: BenchReport.Stats?
    var peakMemoryMegabytes: Double?
}

extension ImageBenchReport {
    /// A plain table, in the style of the texts' one.
    var table: String {
        var lines = [
            "model \(model), \(engine)", "onnx \(onnxFile)",
            "threads \(threads == 0 ? "auto" : String(threads)), load \(String(format: "%.0f", loadMilliseconds)) ms"
                + (peakMemoryMegabytes.map { String(format: ", peak memory %.0f MB", $0) } ?? ""),
            "",
            "images: \(images) files under \(folder), \(String(format: "%.1f", Double(bytes) / Double(max(images, 1)) / 1024)) KB per file",
            "batch  images/s  batch p50/p95/p99 ms      item p50 ms  decode/model/pool",
        ]
        for run in runs {
            let batch = run.batchLatency.map { String(format: "%7.1f %7.1f %7.1f", $0.p50, $0.p95, $0.p99) } ?? String(repeating: " ", count: 23)
            let item = run.itemLatency.map { String(format: "%10.2f", $0.p50) } ?? String(repeating: " ", count: 10)
            let split = breakdown(run).map { String(format: "%5.1f%% %5.1f%% %5.1f%%", $0.0, $0.1, $0.2) } ?? ""
            lines.append(String(format: "%5d  %8.1f  ", run.batchSize, run.imagesPerSecond) + "\(batch)   \(item)   \(split)")
        }
        if let latency {
            lines.append("")
            lines.append(String(
                format: "single image latency (ms, %d runs): p50 %.2f  p95 %.2f  p99 %.2f  mean %.2f  std %.2f",
                latency.count, latency.p50, latency.p95, latency.p99, latency.mean, latency.std))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown table (for docs and issues).
    var markdown: String {
        var lines = [
            "**\(model)** — \(engine), `\(onnxFile)`, threads \(threads == 0 ? "auto" : String(threads)), load \(String(format: "%.0f", loadMilliseconds)) ms"
                + (peakMemoryMegabytes.map { String(format: ", peak memory %.0f MB", $0) } ?? "")
                + "; \(images) images",
            "",
            "| batch | images/s | batch p50 / p99 ms | item p50 ms | decode / model / pool |",
            "|---:|---:|---:|---:|---:|",
        ]
        for run in runs {
            let batch = run.batchLatency.map { String(format: "%.1f / %.1f", $0.p50, $0.p99) } ?? ""
            let item = run.itemLatency.map { String(format: "%.2f", $0.p50) } ?? ""
            let split = breakdown(run).map { String(format: "%.0f%% / %.0f%% / %.0f%%", $0.0, $0.1, $0.2) } ?? ""
            lines.append(String(format: "| %d | %.1f | ", run.batchSize, run.imagesPerSecond) + "\(batch) | \(item) | \(split) |")
        }
        if let latency {
            lines.append("")
            lines.append(String(format: "Single image: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms over %d runs.", latency.p50, latency.p95, latency.p99, latency.count))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Decoding, model and pooling as percentages of their sum.
    private func breakdown(_ run: Run) -> (Double, Double, Double)? {
        guard let d = run.decodeSeconds, let m = run.inferenceSeconds, let p = run.poolingSeconds, d + m + p > 0 else { return nil }
        let total = d + m + p
        return (100 * d / total, 100 * m / total, 100 * p / total)
    }
}
