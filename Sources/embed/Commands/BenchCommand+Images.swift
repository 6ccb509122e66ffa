import EmbedCore
import EmbedEngine
import Foundation

extension BenchCommand {
    /// `embed bench --images DIR`: image throughput at each batch size, where the time goes
    /// (decoding with preprocessing, model, pooling, as the engine reports them) and
    /// single-image latency.
    func runImages(_ folder: String, _ prepared: ModelOptions.Prepared) async throws {
        let loadStart = ContinuousClock.now
        let single = try await model.embedder(prepared, batchSize: 1)
        let loadMilliseconds = loadStart.duration(to: .now).inMilliseconds
        let files = try BenchImages.read(folder, limit: limit, maxBytes: single.configuration.images.maxBytes)
        let inputs = files.files.map { EmbeddingInput.image($0.data) }
        let paths = files.files.map(\.path)

        var report = ImageBenchReport(
            model: single.info.name, engine: single.info.engine, onnxFile: single.info.towers.first { $0.tower == .vision }?.path ?? single.info.runtime?.onnxPath ?? "-",
            threads: prepared.settings.onnx.intraOpNumThreads, loadMilliseconds: loadMilliseconds, folder: folder,
            images: inputs.count, bytes: files.bytes, runs: [], latency: nil, peakMemoryMegabytes: nil)
        for batchSize in try parsedBatchSizes() {
            let embedder = batchSize == 1 ? single : try await model.embedder(prepared, batchSize: batchSize)
            report.runs.append(try await measureImages(inputs, paths: paths, with: embedder, batchSize: batchSize))
        }
        if latencyRuns > 0 {
            for index in 0..<min(3, inputs.count) { _ = try await embed([inputs[index]], paths: [paths[index]], with: single) }
            var samples: [Double] = []
            for run in 0..<latencyRuns {
                let index = run % inputs.count
                let start = ContinuousClock.now
                _ = try await embed([inputs[index]], paths: [paths[index]], with: single)
                samples.append(start.duration(to: .now).inMilliseconds)
            }
            report.latency = .init(samples: samples)
        }
        report.peakMemoryMegabytes = PeakMemory.megabytes
        try print(report, table: report.table, markdown: report.markdown)
    }

    /// The fastest of `--repeat` measurements of all `inputs` at `batchSize`.
    private func measureImages(
        _ inputs: [EmbeddingInput], paths: [String], with embedder: Embedder, batchSize: Int
    ) async throws -> ImageBenchReport.Run {
        let warm = min(inputs.count, max(batchSize * 2, 8))
        for _ in 0..<warmup { _ = try await embed(Array(inputs.prefix(warm)), paths: Array(paths.prefix(warm)), with: embedder) }
        var best: ImageBenchReport.Run?
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            let result = try await embed(inputs, paths: paths, with: embedder)
            let seconds = start.duration(to: .now).inSeconds
            let statistics = result.statistics
            let run = ImageBenchReport.Run(
                batchSize: batchSize, images: inputs.count, seconds: seconds, imagesPerSecond: Double(inputs.count) / seconds,
                batchLatency: statistics.map { .init(samples: $0.batches.map { $0.seconds * 1000 }) },
                itemLatency: statistics.map { .init(samples: $0.batches.map { $0.seconds * 1000 / Double($0.size) }) },
                decodeSeconds: statistics?.tokenizationSeconds, inferenceSeconds: statistics?.inferenceSeconds,
                poolingSeconds: statistics?.poolingSeconds)
            if best == nil || seconds < (best?.seconds ?? .infinity) { best = run }
        }
        guard let best else { throw CLIError("nothing was measured") }
        return best
    }

    /// One call, an engine error about an input naming its file.
    private func embed(_ inputs: [EmbeddingInput], paths: [String], with embedder: Embedder) async throws -> EmbeddingResult {
        do {
            return try await embedder.embed(inputs)
        } catch {
            throw CLIError(ImageFiles.naming(error.message, paths: paths))
        }
    }
}
