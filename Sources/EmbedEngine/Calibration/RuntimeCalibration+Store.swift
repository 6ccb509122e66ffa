import EmbedOpenVINO
import EmbedORT
import Foundation
import Logging

extension RuntimeCalibration {
    /// What a calibration depends on, as text: the model file (real path, size, modification
    /// time, file number), both runtimes' versions, the threads and workers, OpenVINO's hint
    /// and the CPU. Any change measures again.
    static func calibrationKey(_ source: ModelSource, configuration: EmbedderConfiguration) throws(EmbedError) -> String {
        let onnx = try ModelFiles.onnxURL(source, onnxFile: configuration.onnxFile, variant: configuration.variant)
        let real = onnx.resolvingSymlinksInPath()
        let attributes = (try? FileManager.default.attributesOfItem(atPath: real.path)) ?? [:]
        let onnxRuntime = (try? ORTLibrary.load(configuration.library)).map(\.version) ?? "none"
        let openVINO = (try? OVLibrary.load(configuration.openVINO.library)).map { "\($0.version)" } ?? "none"
        return [
            "calibration-v1", real.path, "\((attributes[.size] as? NSNumber)?.int64Value ?? -1)",
            "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)",
            "\((attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0)", "onnxruntime \(onnxRuntime)",
            "openvino \(openVINO)", "threads \(configuration.session.intraOpThreads)",
            "workers \(configuration.batching.workers)", "hint \(configuration.openVINO.performanceHint)",
            "cpu \(cpuDescription)",
        ].joined(separator: "|")
    }

    /// The record's file for `key`: `calibration/` beside the optimised-graph cache, `nil`
    /// when that cache is off (then every load measures).
    static func recordFile(for key: String, configuration: EmbedderConfiguration) -> URL? {
        guard let cache = configuration.optimizedModelCache else { return nil }
        return cache.directory.deletingLastPathComponent().appendingPathComponent("calibration")
            .appendingPathComponent("runtime-\(OptimizedModelCache.fingerprint(key)).json")
    }

    /// The CPU as the system names it (Linux: `model name` and the core count), never used
    /// to choose anything: only to measure again on another machine (and in reports).
    public static var cpuDescription: String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
            let name = line.split(separator: ":", maxSplits: 1).last
        else { return "\(cores) cores" }
        return "\(name.trimmingCharacters(in: .whitespaces)), \(cores) cores"
    }

    /// A stored record for `key`, if it is there and reads back as one for that key.
    static func load(from file: URL, key: String, logger: Logger) -> RuntimeCalibration? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let record = try? decoder.decode(RuntimeCalibration.self, from: data), record.key == key,
            record.version == 1, record.candidates.indices.contains(record.chosen)
        else {
            logger.notice("runtime auto: ignoring the calibration record \(file.path), which does not match; measuring again")
            return nil
        }
        return record
    }

    /// Writes the record (atomically); a failure is logged, never fatal.
    func save(to file: URL, logger: Logger) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoder.encode(self).write(to: file, options: .atomic)
        } catch {
            logger.notice("runtime auto: cannot keep the calibration in \(file.path): \(error.localizedDescription)")
        }
    }

    /// The configuration `runtime: auto` stands for with `source`: from the stored record, or
    /// measured now (and stored). A model that cannot be calibrated (no files to key it by)
    /// runs on ONNX Runtime, which the load then reports on.
    static func resolve(
        _ source: ModelSource, configuration: EmbedderConfiguration, logger: Logger
    ) async throws(EmbedError) -> EmbedderConfiguration {
        var onnxRuntime = configuration
        onnxRuntime.runtime = .onnxRuntime
        let key: String
        do {
            key = try calibrationKey(source, configuration: configuration)
        } catch {
            logger.notice("runtime auto: using ONNX Runtime (\(error.message))")
            return onnxRuntime
        }
        let file = recordFile(for: key, configuration: configuration)
        let record: RuntimeCalibration
        if let file, let stored = load(from: file, key: key, logger: logger) {
            record = stored
            logger.info("runtime auto: \(stored.choice.name), as calibrated \(stored.measured) (\(file.path); embed bench --calibrate measures again)")
        } else {
            logger.notice("runtime auto: calibrating on this machine (a few seconds, once per model)")
            record = try await measure(source, configuration: configuration, rounds: 3, key: key, logger: logger)
            for line in record.summary { logger.notice("runtime auto: \(line)") }
        }
        return candidateConfiguration(configuration, record.choice)
    }
}
