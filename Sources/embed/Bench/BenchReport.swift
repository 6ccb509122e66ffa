import Foundation

/// What `embed bench` measured.
struct BenchReport: Encodable {
    /// Summary statistics of a list of milliseconds.
    struct Stats: Encodable {
        var count: Int
        var mean: Double
        var std: Double
        var p50: Double
        var p95: Double
        var p99: Double

        init(samples: [Double]) {
            let sorted = samples.sorted()
            func percentile(_ p: Double) -> Double {
                sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))]
            }
            count = sorted.count
            mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
            let mean = mean
            std = sorted.count < 2 ? 0 : (sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(sorted.count - 1)).squareRoot()
            p50 = percentile(50)
            p95 = percentile(95)
            p99 = percentile(99)
        }
    }

    /// Throughput and where the time went, for one set of texts at one batch size.
    struct Run: Encodable {
        var set: String
        var batchSize: Int
        var texts: Int
        var tokens: Int
        var seconds: Double
        var sentencesPerSecond: Double
        var tokensPerSecond: Double
        /// Per model batch (ms).
        var batchLatency: Stats?
        /// Per text: each batch's time divided by its size (ms).
        var itemLatency: Stats?
        var tokenizationSeconds: Double?
        var inferenceSeconds: Double?
        var poolingSeconds: Double?
        /// Padded tokens per real token.
        var paddingRatio: Double?
    }

    var model: String
    var engine: String
    var onnxFile: String
    var threads: Int
    var sortedByLength: Bool
    var loadMilliseconds: Double
    /// The old name of ``runs`` for the `all` set, kept for scripts that read it.
    var throughput: [Run]
    var runs: [Run]
    /// Single-text latency (ms) and the set the texts came from.
    var latency: Stats?
    var latencySet: String
    var peakMemoryMegabytes: Double?
}

extension BenchReport {
    /// A plain table.
    var table: String {
        var lines = [
            "model \(model), \(engine)", "onnx \(onnxFile)",
            "threads \(threads == 0 ? "auto" : String(threads)), batches \(sortedByLength ? "sorted by length" : "in input order"), "
                + "load \(String(format: "%.0f", loadMilliseconds)) ms"
                + (peakMemoryMegabytes.map { String(format: ", peak memory %.0f MB", $0) } ?? ""),
        ]
        for set in orderedSets {
            let runs = runs.filter { $0.set == set }
            guard let first = runs.first else { continue }
            lines.append("")
            lines.append("\(set): \(first.texts) texts, \(String(format: "%.1f", Double(first.tokens) / Double(max(first.texts, 1)))) tokens per text")
            lines.append("batch  sentences/s  tokens/s  batch p50/p95/p99 ms      item p50 ms  tokenize/model/pool  padding")
            for run in runs {
                let batch = run.batchLatency.map { String(format: "%7.1f %7.1f %7.1f", $0.p50, $0.p95, $0.p99) } ?? String(repeating: " ", count: 23)
                let item = run.itemLatency.map { String(format: "%10.2f", $0.p50) } ?? String(repeating: " ", count: 10)
                let split = breakdown(run).map { String(format: "%5.1f%% %5.1f%% %5.1f%%", $0.0, $0.1, $0.2) } ?? ""
                let padding = run.paddingRatio.map { String(format: "%6.2f", $0) } ?? ""
                lines.append(String(format: "%5d  %11.1f  %8.0f  ", run.batchSize, run.sentencesPerSecond, run.tokensPerSecond)
                    + "\(batch)   \(item)   \(split)  \(padding)")
            }
        }
        if let latency {
            lines.append("")
            lines.append(String(
                format: "single text latency (%@ texts, ms, %d runs): p50 %.2f  p95 %.2f  p99 %.2f  mean %.2f  std %.2f",
                latencySet, latency.count, latency.p50, latency.p95, latency.p99, latency.mean, latency.std))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown table (for docs and issues).
    var markdown: String {
        var lines = [
            "**\(model)** — \(engine), `\(onnxFile)`, threads \(threads == 0 ? "auto" : String(threads)), load \(String(format: "%.0f", loadMilliseconds)) ms"
                + (peakMemoryMegabytes.map { String(format: ", peak memory %.0f MB", $0) } ?? ""),
            "",
            "| set | batch | sentences/s | tokens/s | batch p50 / p99 ms | item p50 ms | tokenize / model / pool | padding |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for run in runs {
            let batch = run.batchLatency.map { String(format: "%.1f / %.1f", $0.p50, $0.p99) } ?? ""
            let item = run.itemLatency.map { String(format: "%.2f", $0.p50) } ?? ""
            let split = breakdown(run).map { String(format: "%.0f%% / %.0f%% / %.0f%%", $0.0, $0.1, $0.2) } ?? ""
            lines.append(String(format: "| %@ | %d | %.1f | %.0f | ", run.set, run.batchSize, run.sentencesPerSecond, run.tokensPerSecond)
                + "\(batch) | \(item) | \(split) | \(run.paddingRatio.map { String(format: "%.2f", $0) } ?? "") |")
        }
        if let latency {
            lines.append("")
            lines.append(String(format: "Single text (%@): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms over %d runs.", latencySet, latency.p50, latency.p95, latency.p99, latency.count))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private var orderedSets: [String] {
        var seen: [String] = []
        for run in runs where !seen.contains(run.set) { seen.append(run.set) }
        return seen
    }

    /// Tokenization, model and pooling as percentages of their sum.
    private func breakdown(_ run: Run) -> (Double, Double, Double)? {
        guard let t = run.tokenizationSeconds, let m = run.inferenceSeconds, let p = run.poolingSeconds, t + m + p > 0 else { return nil }
        let total = t + m + p
        return (100 * t / total, 100 * m / total, 100 * p / total)
    }
}
