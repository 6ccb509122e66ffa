import EmbedCore
@testable import EmbedEngine
import EmbedOpenVINO
import EmbedTestSupport
import Foundation
import Testing

/// `runtime: auto`: the choice rule, and the calibration on a real ONNX Runtime and OpenVINO
/// (measured, kept, reused, measured again when the model changes).
struct RuntimeCalibrationTests {
    typealias Candidate = RuntimeCalibration.Candidate

    static func candidate(_ runtime: String, _ precision: String, speedup: Double?, cosine: Double?) -> Candidate {
        Candidate(runtime: runtime, precision: precision, secondsPerRound: speedup.map { 1 / $0 }, speedup: speedup, minCosine: cosine)
    }

    @Test func theFastestThatKeepsTheQualityIsChosenAndTiesKeepONNXRuntime() {
        let ort = Self.candidate("onnxruntime", "f32", speedup: 1, cosine: 1)
        let f32 = Self.candidate("openvino", "f32", speedup: 1.2, cosine: 0.999_999)
        let bf16 = Self.candidate("openvino", "bf16", speedup: 1.9, cosine: 0.999_97)
        #expect(RuntimeCalibration.choose([ort, f32, bf16]) == 2)
        var poor = bf16
        poor.minCosine = 0.9998
        #expect(RuntimeCalibration.choose([ort, f32, poor]) == 1, "bf16 under 0.9999 is not chosen")
        var tie = f32
        tie.speedup = 1.04
        #expect(RuntimeCalibration.choose([ort, tie]) == 0, "under 1.05× ONNX Runtime stays")
        var missing = bf16
        missing.speedup = nil
        missing.unavailable = "no native bf16"
        #expect(RuntimeCalibration.choose([ort, tie, missing]) == 0)
    }

    @Test func calibrationTextsAreFixedAndMixed() {
        let texts = CalibrationTexts.all
        #expect(texts.count == 48, "exact")
        #expect(texts == CalibrationTexts.all)
        let words = texts.map { $0.split(separator: " ").count }
        #expect(words.min() ?? 0 >= 4 && words.max() ?? 0 >= 120, "queries and passages: \(words.min() ?? 0)…\(words.max() ?? 0)")
    }

    @Test(
        .enabled(
            if: TestRuntime.isAvailable && (TestRuntime.isRequired || (try? OVLibrary.load()) != nil),
            "needs ONNX Runtime and OpenVINO: run `make setup`"))
    func autoMeasuresOnceKeepsTheChoiceAndMeasuresAgainForAChangedModel() async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("tiny-model")
        try FamilyModelTests.copy(TestPaths.fixture("tiny-model"), to: model, skipping: [])
        var configuration = EmbedderConfiguration(runtime: .auto)
        configuration.optimizedModelCache = OptimizedModelCache(directory: folder.appendingPathComponent("cache/optimized"))
        configuration.openVINO.modelCacheDirectory = nil

        let embedder = try await Embedder(.folder(model), configuration: configuration, logger: TestRuntime.logger)
        #expect(embedder.info.engine.hasPrefix("onnxruntime ") || embedder.info.engine.hasPrefix("openvino "))
        let records = folder.appendingPathComponent("cache/calibration")
        let files = try FileManager.default.contentsOfDirectory(atPath: records.path)
        #expect(files.count == 1, "one record: \(files)")
        let file = records.appendingPathComponent(try #require(files.first))
        let key = try RuntimeCalibration.calibrationKey(.folder(model), configuration: configuration)
        let record = try #require(RuntimeCalibration.load(from: file, key: key, logger: TestRuntime.logger))
        #expect(record.candidates.map(\.name) == ["onnxruntime f32", "openvino f32", "openvino bf16"])
        #expect(record.candidates[0].minCosine == 1 && record.candidates[0].speedup == 1, "the reference against itself")
        let f32 = record.candidates[1]
        #expect((f32.minCosine ?? 0) >= 0.99999, "OpenVINO f32 against ONNX Runtime: \(String(describing: f32.minCosine))")
        #expect(record.candidates[2].minCosine != nil || record.candidates[2].unavailable != nil, "bf16 measured or said why not")
        #expect(embedder.info.engine.hasPrefix(record.choice.runtime + " "), "\(embedder.info.engine) is \(record.choice.name)")

        // A second load reads the record: the file is not rewritten.
        let written = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        let again = try await Embedder(.folder(model), configuration: configuration, logger: TestRuntime.logger)
        #expect(again.info.engine == embedder.info.engine)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date == written)

        // A record that does not read back is measured again; so is a changed model file.
        try Data("{\"version\": 1}".utf8).write(to: file)
        #expect(RuntimeCalibration.load(from: file, key: key, logger: TestRuntime.logger) == nil)
        _ = try await Embedder(.folder(model), configuration: configuration, logger: TestRuntime.logger)
        #expect(RuntimeCalibration.load(from: file, key: key, logger: TestRuntime.logger) != nil, "measured and kept again")
        let onnx = model.appendingPathComponent("onnx/model.onnx")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: onnx.path)
        let changedKey = try RuntimeCalibration.calibrationKey(.folder(model), configuration: configuration)
        #expect(changedKey != key)
        _ = try await Embedder(.folder(model), configuration: configuration, logger: TestRuntime.logger)
        #expect(try FileManager.default.contentsOfDirectory(atPath: records.path).count == 2, "a record for the changed file")
    }
}
