import EmbedEngine
import Foundation

extension BenchCommand {
    /// `embed bench --calibrate`: measures the runtimes `runtime: auto` chooses from, prints
    /// one line per candidate (the chosen one starred) and keeps the record for later loads.
    func runCalibration(_ prepared: ModelOptions.Prepared) async throws {
        let calibration = try await RuntimeCalibration.calibrate(
            try prepared.settings.modelSource(), configuration: try prepared.settings.embedderConfiguration(),
            rounds: calibrationRounds, logger: prepared.logger)
        var output = StandardOutput()
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            output.writeLine(String(decoding: try encoder.encode(calibration), as: UTF8.self))
        case .table, .markdown:
            output.writeLine(
                "runtime auto on \(RuntimeCalibration.cpuDescription): \(calibration.texts) texts, "
                    + "\(calibration.rounds) rounds in rotating order")
            for line in calibration.summary { output.writeLine(line) }
            output.writeLine(
                "chosen: \(calibration.choice.name) (the fastest with min cosine ≥ \(RuntimeCalibration.minimumCosine) "
                    + "and ≥ \(RuntimeCalibration.minimumSpeedup)× onnxruntime f32)")
        }
        output.flush()
    }
}
