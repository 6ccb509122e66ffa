import EmbedCore
import Foundation
public import Logging

extension RuntimeCalibration {
    /// Measures every candidate for `source` (a hub model is first resolved through the model
    /// store) and stores the record: `embed bench --calibrate`. See
    /// ``measure(_:configuration:rounds:key:logger:)``.
    public static func calibrate(
        _ source: ModelSource, configuration: EmbedderConfiguration, rounds: Int = 3, logger: Logger
    ) async throws(EmbedError) -> RuntimeCalibration {
        let (local, localConfiguration) = try await Embedder.localize(
            source, configuration: configuration, logger: logger, progress: nil)
        return try await measure(
            local, configuration: localConfiguration, rounds: rounds,
            key: try calibrationKey(local, configuration: localConfiguration), logger: logger)
    }

    /// Measures every candidate for a local model (a folder or an ONNX file) whose
    /// ``calibrationKey(_:configuration:)`` is `key`: loads it on ONNX Runtime f32, OpenVINO
    /// f32 and OpenVINO bf16 (those that load), embeds the calibration texts once to compare
    /// vectors, then `rounds` times each in rotating order, and chooses (see
    /// ``RuntimeCalibration``). Stores the record when the configuration has an
    /// optimised-graph cache. Takes a few seconds on a small model.
    static func measure(
        _ source: ModelSource, configuration: EmbedderConfiguration, rounds: Int, key: String, logger: Logger
    ) async throws(EmbedError) -> RuntimeCalibration {
        let texts = CalibrationTexts.all
        var candidates = [
            Candidate(runtime: "onnxruntime", precision: "f32"), Candidate(runtime: "openvino", precision: "f32"),
            Candidate(runtime: "openvino", precision: "bf16"),
        ]
        var embedders: [Embedder?] = []
        for index in candidates.indices {
            do throws(EmbedError) {
                let embedder = try await Embedder(
                    source, configuration: candidateConfiguration(configuration, candidates[index]), logger: logger)
                if index > 0, embedder.info.runtime?.runtime != "openvino" {
                    candidates[index].unavailable = embedder.info.fallbacks.first ?? "it did not run on OpenVINO"
                    embedders.append(nil)
                } else {
                    candidates[index].engine = embedder.info.engine
                    embedders.append(embedder)
                }
            } catch {
                // Without ONNX Runtime the model cannot run at all: say why, as a load would.
                if index == 0 { throw error }
                candidates[index].unavailable = error.message
                embedders.append(nil)
            }
        }
        // Warm-up, and the vectors to compare.
        var reference: [[Float]] = []
        for (index, embedder) in embedders.enumerated() {
            guard let embedder else { continue }
            let vectors = try await embedder.embed(texts)
            if index == 0 { reference = vectors }
            candidates[index].minCosine = zip(vectors, reference).map { Double((try? VectorMath.cosine($0, $1)) ?? -1) }.min()
        }
        var seconds = [[Double]](repeating: [], count: candidates.count)
        let measured = embedders.indices.filter { embedders[$0] != nil }
        for round in 0..<Swift.max(1, rounds) {
            for offset in measured.indices {
                let index = measured[(offset + round) % measured.count]
                let start = ContinuousClock.now
                _ = try await embedders[index]?.embed(texts)
                seconds[index].append(start.duration(to: .now).inSeconds)
            }
        }
        for index in measured {
            candidates[index].secondsPerRound = median(seconds[index])
            candidates[index].speedup = median(zip(seconds[0], seconds[index]).map { $0 / $1 })
        }
        let record = RuntimeCalibration(
            key: key, measured: Date(), texts: texts.count, rounds: Swift.max(1, rounds), candidates: candidates,
            chosen: choose(candidates))
        if let file = recordFile(for: key, configuration: configuration) { record.save(to: file, logger: logger) }
        return record
    }

    /// `configuration` set to run `candidate`, with no fallback to ONNX Runtime (a candidate
    /// that cannot run is reported as such, not measured as another).
    static func candidateConfiguration(_ configuration: EmbedderConfiguration, _ candidate: Candidate) -> EmbedderConfiguration {
        var result = configuration
        result.runtime = candidate.runtime == "openvino" ? .openVINO : .onnxRuntime
        result.openVINO.precision = candidate.precision == "bf16" ? .bf16 : .f32
        if candidate.runtime == "openvino" { result.fallback.remove(.onnxRuntime) }
        return result
    }

    private static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
