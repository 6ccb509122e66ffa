import ArgumentParser
import EmbedCore
import EmbedEngine
import EmbedTokenizers
import Foundation

/// `embed bench`: throughput by text length and batch size, where the time goes, and
/// single-text latency: what a user runs to choose settings.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput, latency and where the time goes, by text length and batch size.",
        discussion: """
            Reads --input (one text per line, or JSON lines with a "text" field), splits it by token \
            count into sets (short: up to 32 tokens, medium: 33–128, long: more; all: the input as \
            it is), and embeds the first --limit texts of each chosen set at each batch size after \
            --warmup passes, --repeat times (the best run is kept). Everything goes through the \
            library: tokenization, model, pooling, normalisation. Reported per run: sentences and \
            tokens per second, per-batch and per-text latency, the split between tokenization, model \
            and pooling, padding (padded tokens per real token). Then --latency-runs single short \
            texts, one at a time, give latency percentiles. Model, variant (--variant quantized), \
            engine (--engine hashing) and threads come from the usual options.

            Images: --images DIR (a model with a vision tower, such as CLIP) takes the .jpg, .jpeg, \
            .png and .webp files under DIR instead (recursively, sorted by path, the first --limit), \
            read into memory first, and embeds them at each batch size: images per second, per-batch \
            and per-image latency, the split between decoding with preprocessing, model and pooling \
            as the engine reports them; then --latency-runs single images give latency percentiles.
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var logging: LoggingOptions

    @Option(name: .long, help: "A file with one text per line, or JSON lines with --jsonl (- for standard input).")
    var input: String?

    @Option(name: .long, help: ArgumentHelp("Measure image embedding on the JPEG, PNG and WebP files under this folder instead of texts.", valueName: "dir"))
    var images: String?

    @Flag(name: .long, help: "Measure runtime auto's choice again for this model and machine (ONNX Runtime f32, OpenVINO f32 and bf16) and keep it; needs no --input.")
    var calibrate = false

    @Option(name: .customLong("calibration-rounds"), help: "With --calibrate: rounds over the calibration texts per candidate.")
    var calibrationRounds: Int = 5

    @Flag(name: .long, help: "Input lines are JSON objects with a \"text\" field (default for .jsonl files).")
    var jsonl = false

    @Option(name: .long, help: "Texts per set (with --images: images).")
    var limit: Int = 1000

    @Option(name: .long, help: "Comma-separated batch sizes.")
    var batchSizes: String = "1,8,32"

    @Option(name: .long, help: "Comma-separated sets: all, short, medium, long.")
    var sets: String = "all,short,long"

    @Option(name: .long, help: "Warm-up passes over the first texts before each measurement.")
    var warmup: Int = 1

    @Option(name: .customLong("repeat"), help: "Measurements per set and batch size; the fastest is reported.")
    var repeats: Int = 1

    @Option(name: .customLong("latency-runs"), help: "Single texts embedded one at a time for the latency percentiles.")
    var latencyRuns: Int = 200

    @Flag(inversion: .prefixedNo, help: "Group texts of similar length into batches (the library's default).")
    var sort = true

    @Option(name: .long, help: "Output format: table, json or markdown.")
    var format: OutputFormat = .table

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case table, json, markdown }

    func parsedBatchSizes() throws -> [Int] {
        let sizes = batchSizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--batch-sizes must be positive integers separated by commas, got '\(batchSizes)'")
        }
        return sizes.compactMap { $0 }
    }

    func parsedSets() throws -> [String] {
        let names = sets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let known = ["all"] + BenchTexts.bounds.map(\.name)
        guard !names.isEmpty, let unknown = Optional(names.filter { !known.contains($0) }), unknown.isEmpty else {
            throw ValidationError("--sets takes \(known.joined(separator: ", ")), got '\(sets)'")
        }
        return names
    }

    func validate() throws {
        guard calibrate || input != nil || images != nil else { throw ValidationError("--input is required (or --images or --calibrate)") }
        if images != nil && (input != nil || calibrate || jsonl) {
            throw ValidationError("--images measures images: --input, --jsonl and --calibrate do not apply")
        }
        guard calibrationRounds >= 1 else { throw ValidationError("--calibration-rounds must be at least 1") }
        _ = try parsedBatchSizes()
        _ = try parsedSets()
        guard limit >= 1, warmup >= 0, repeats >= 1, latencyRuns >= 0 else {
            throw ValidationError("--limit and --repeat must be at least 1, --warmup and --latency-runs at least 0")
        }
    }

    func run() async throws {
        let prepared = try model.prepare(logging: logging)
        if calibrate { return try await runCalibration(prepared) }
        if let images { return try await runImages(images, prepared) }
        let input = self.input ?? "-"
        let texts = try BenchTexts.read(input, jsonl: jsonl || input.hasSuffix(".jsonl"))
        var settings = prepared
        settings.loaded.settings.batch.sortByLength = sort

        let loadStart = ContinuousClock.now
        let counter = try await model.embedder(settings, batchSize: 1)
        let loadMilliseconds = loadStart.duration(to: .now).inMilliseconds
        let sets = BenchTexts.sets(try parsedSets(), of: texts, limit: limit) { text in
            (try? counter.encode(text).count) ?? text.split(separator: " ").count
        }
        guard !sets.isEmpty else { throw CLIError("\(input): none of the sets \(self.sets) has texts") }

        var report = BenchReport(
            model: counter.info.name, engine: counter.info.engine, onnxFile: counter.info.runtime?.onnxPath ?? "-",
            threads: prepared.settings.onnx.intraOpNumThreads, sortedByLength: sort, loadMilliseconds: loadMilliseconds,
            throughput: [], runs: [], latency: nil, latencySet: "", peakMemoryMegabytes: nil)
        for batchSize in try parsedBatchSizes() {
            let embedder = batchSize == 1 ? counter : try await model.embedder(settings, batchSize: batchSize)
            for set in sets {
                report.runs.append(try await measure(set, with: embedder, batchSize: batchSize))
            }
        }
        report.runs.sort { ($0.set, $0.batchSize) < ($1.set, $1.batchSize) }
        report.runs = sets.flatMap { set in report.runs.filter { $0.set == set.name } }
        report.throughput = report.runs.filter { $0.set == "all" }

        if latencyRuns > 0, let set = sets.first(where: { $0.name == "short" }) ?? sets.first {
            for text in set.texts.prefix(10) { _ = try await counter.embed([text]) }
            var samples: [Double] = []
            for index in 0..<latencyRuns {
                let start = ContinuousClock.now
                _ = try await counter.embed([set.texts[index % set.texts.count]])
                samples.append(start.duration(to: .now).inMilliseconds)
            }
            report.latency = .init(samples: samples)
            report.latencySet = set.name
        }
        report.peakMemoryMegabytes = PeakMemory.megabytes
        try print(report, table: report.table, markdown: report.markdown)
    }

    /// The fastest of `--repeat` measurements of `set` at `batchSize`.
    private func measure(_ set: BenchTexts.Set, with embedder: Embedder, batchSize: Int) async throws -> BenchReport.Run {
        for _ in 0..<warmup { _ = try await embedder.embed(Array(set.texts.prefix(max(batchSize * 4, 64)))) }
        var best: BenchReport.Run?
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            let result = try await embedder.embedWithDetails(set.texts)
            let seconds = start.duration(to: .now).inSeconds
            let tokens = result.tokenCounts.reduce(0, +)
            let statistics = result.statistics
            let run = BenchReport.Run(
                set: set.name, batchSize: batchSize, texts: set.texts.count, tokens: tokens, seconds: seconds,
                sentencesPerSecond: Double(set.texts.count) / seconds, tokensPerSecond: Double(tokens) / seconds,
                batchLatency: statistics.map { .init(samples: $0.batches.map { $0.seconds * 1000 }) },
                itemLatency: statistics.map { .init(samples: $0.batches.map { $0.seconds * 1000 / Double($0.size) }) },
                tokenizationSeconds: statistics?.tokenizationSeconds, inferenceSeconds: statistics?.inferenceSeconds,
                poolingSeconds: statistics?.poolingSeconds, paddingRatio: statistics?.paddingRatio)
            if best == nil || seconds < (best?.seconds ?? .infinity) { best = run }
        }
        guard let best else { throw CLIError("nothing was measured") }
        return best
    }

    /// `report` as JSON, or as its table or Markdown text, as `--format` says.
    func print(_ report: some Encodable, table: String, markdown: String) throws {
        var output = StandardOutput()
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            output.writeLine(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .table:
            output.write(table)
        case .markdown:
            output.write(markdown)
        }
        output.flush()
    }
}
