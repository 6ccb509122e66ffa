import ArgumentParser
import EmbedEngine
import Foundation

/// `embed bench`: throughput by batch size and single-text latency.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput by batch size and single-text latency on a text file.",
        discussion: """
            Embeds the first --limit lines of --input with each batch size (after --warmup passes), \
            then embeds --repeat single texts one at a time for latency percentiles. Results are \
            end to end through the library: tokenization, model, pooling, normalisation.
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var logging: LoggingOptions

    @Option(name: .long, help: "A file with one text per line.")
    var input: String

    @Option(name: .long, help: "How many lines of the input to use.")
    var limit: Int = 1000

    @Option(name: .long, help: "Comma-separated batch sizes.")
    var batchSizes: String = "1,8,32"

    @Option(name: .long, help: "Warm-up passes over the texts before each measurement.")
    var warmup: Int = 1

    @Option(name: .long, help: "Single texts embedded for the latency percentiles.")
    var `repeat`: Int = 200

    @Flag(inversion: .prefixedNo, help: "Group texts of similar length into batches (the library's default).")
    var sort = true

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    func parsedBatchSizes() throws -> [Int] {
        let sizes = batchSizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--batch-sizes must be positive integers separated by commas, got '\(batchSizes)'")
        }
        return sizes.compactMap { $0 }
    }

    func validate() throws {
        _ = try parsedBatchSizes()
        guard limit >= 1, warmup >= 0, self.repeat >= 1 else {
            throw ValidationError("--limit and --repeat must be at least 1, --warmup at least 0")
        }
    }

    func run() async throws {
        let prepared = try model.prepare(logging: logging)
        var texts: [String] = []
        var number = 0
        for bytes in try LineReader(path: input) where texts.count < limit {
            number += 1
            let line = try NumberedLine(number: number, bytes: bytes)
            if !line.text.isEmpty { texts.append(line.text) }
        }
        guard !texts.isEmpty else { throw CLIError("\(input) has no text lines") }

        var report = BenchReport(
            model: prepared.settings.model ?? "hashing", texts: texts.count, threads: prepared.settings.onnx.intraOpNumThreads,
            sortedByLength: sort, engine: "", loadMilliseconds: 0,
            throughput: [], latency: nil)
        for batchSize in try parsedBatchSizes() {
            var settings = prepared
            settings.loaded.settings.batch.sortByLength = sort
            let loadStart = ContinuousClock.now
            let embedder = try await model.embedder(settings, batchSize: batchSize)
            if report.engine.isEmpty {
                report.engine = embedder.info.engine
                report.loadMilliseconds = loadStart.duration(to: .now).milliseconds
            }
            for _ in 0..<warmup { _ = try await embedder.embed(Array(texts.prefix(max(batchSize * 4, 64)))) }
            let start = ContinuousClock.now
            let result = try await embedder.embedWithDetails(texts)
            let seconds = start.duration(to: .now).seconds
            report.throughput.append(.init(
                batchSize: batchSize, sentencesPerSecond: Double(texts.count) / seconds,
                tokensPerSecond: Double(result.tokenCounts.reduce(0, +)) / seconds, seconds: seconds))
        }

        let single = try await model.embedder(prepared, batchSize: 1)
        for text in texts.prefix(max(warmup * 10, 10)) { _ = try await single.embed([text]) }
        var latencies: [Double] = []
        for index in 0..<self.repeat {
            let start = ContinuousClock.now
            _ = try await single.embed([texts[index % texts.count]])
            latencies.append(start.duration(to: .now).milliseconds)
        }
        report.latency = .init(samples: latencies)
        try print(report)
    }

    private func print(_ report: BenchReport) throws {
        var output = StandardOutput()
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            output.writeLine(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .table:
            output.writeLine("model \(report.model), \(report.engine)")
            output.writeLine("\(report.texts) texts, \(report.threads) threads, batches \(report.sortedByLength ? "sorted by length" : "in input order"), load \(String(format: "%.0f", report.loadMilliseconds)) ms")
            output.writeLine("")
            output.writeLine("batch  sentences/s  tokens/s  seconds")
            for row in report.throughput {
                output.writeLine(String(format: "%5d  %11.1f  %8.0f  %7.2f", row.batchSize, row.sentencesPerSecond, row.tokensPerSecond, row.seconds))
            }
            if let latency = report.latency {
                output.writeLine("")
                output.writeLine(String(format: "single text latency (ms, %d runs): p50 %.2f  p95 %.2f  p99 %.2f  mean %.2f",
                                        latency.count, latency.p50, latency.p95, latency.p99, latency.mean))
            }
        }
        output.flush()
    }
}

/// What `embed bench` measured.
struct BenchReport: Encodable {
    struct Throughput: Encodable {
        var batchSize: Int
        var sentencesPerSecond: Double
        var tokensPerSecond: Double
        var seconds: Double
    }

    struct Latency: Encodable {
        var count: Int
        var p50: Double
        var p95: Double
        var p99: Double
        var mean: Double

        init(samples: [Double]) {
            let sorted = samples.sorted()
            func percentile(_ p: Double) -> Double {
                sorted[min(sorted.count - 1, Int((p / 100 * Double(sorted.count - 1)).rounded()))]
            }
            count = sorted.count
            p50 = percentile(50)
            p95 = percentile(95)
            p99 = percentile(99)
            mean = sorted.reduce(0, +) / Double(sorted.count)
        }
    }

    var model: String
    var texts: Int
    var threads: Int
    var sortedByLength: Bool
    var engine: String
    var loadMilliseconds: Double
    var throughput: [Throughput]
    var latency: Latency?
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
}
