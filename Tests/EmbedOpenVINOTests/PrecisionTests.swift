import EmbedOpenVINO
import Foundation
import Testing

@Suite(.enabled(if: OVTestRuntime.isAvailable, "needs OpenVINO: run scripts/install-openvino.sh or set OPENVINO_LIB_PATH"))
struct PrecisionTests {
    let core: OVCore

    init() throws {
        core = try OVTestRuntime.core()
    }

    @Test func compilesWithTheTypedOptionsAndReadsThemBack() throws {
        let compiled = try core.compileModel(
            path: OVTestRuntime.fixture("onnx/tiny_bert.onnx"),
            options: .init(precision: .f32, performanceHint: .latency, threads: 2, streams: 1))
        #expect(compiled.settings.inferencePrecision == .f32)
        #expect(compiled.settings.performanceHint == "LATENCY")
        #expect(compiled.settings.threads == 2)
        #expect(compiled.settings.streams == 1)
        #expect(try compiled.property(OVPropertyKey.inferencePrecision) == "f32")
        #expect(compiled.options.threads == 2)
        #expect(compiled.compileDuration > .zero)
    }

    @Test func bf16IsHonouredWhereTheCPUHasIt() throws {
        let native = try core.supportsNativeBF16()
        let compiled = try core.compileModel(
            path: OVTestRuntime.fixture("onnx/tiny_bert.onnx"), options: .init(precision: .bf16, threads: 1))
        // Where the CPU has no bf16 instructions OpenVINO falls back to f32 instead of failing.
        #expect(compiled.settings.inferencePrecision == (native ? .bf16 : .f32), "native bf16: \(native)")
        let ids: [Int64] = [2, 4, 3, 9]
        let mask: [Int64] = [1, 1, 0, 1]
        let types: [Int64] = [0, 1, 0, 1]
        let outputs = try compiled.makeInferRequest().run([
            "input_ids": .int64(ids, shape: [1, 4]), "attention_mask": .int64(mask, shape: [1, 4]),
            "token_type_ids": .int64(types, shape: [1, 4]),
        ])
        // Outputs stay f32; the values may be rounded to bf16 (8 significant bits): relative 2^-8.
        #expect(outputs[0].elementType == .f32)
        let expected = tinyBertExpected(ids: ids, mask: mask, types: types)
        #expect(close(outputs[0].values, expected, tolerance: 1.0 / 256, relative: true), "relative tolerance 2^-8")
    }

    @Test func theDeviceDefaultIsWhatTheCPUSupportsBest() throws {
        let native = try core.supportsNativeBF16()
        let compiled = try core.compileModel(
            path: OVTestRuntime.fixture("onnx/tiny_scale.onnx"), options: .init(precision: nil, threads: 1))
        #expect(compiled.settings.inferencePrecision == (native ? .bf16 : .f32))
    }

    @Test func theModelCacheIsWrittenAndUsed() throws {
        let folder = try OVTestRuntime.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = OVCompileOptions(threads: 1, cacheDirectory: folder.path)
        let path = OVTestRuntime.fixture("onnx/tiny_bert.onnx")
        let first = try core.compileModel(path: path, options: options)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.contains { $0.hasSuffix(".blob") }, "cache files: \(files)")
        #expect(first.settings.loadedFromCache == false)
        let second = try core.compileModel(path: path, options: options)
        // Needs libopenvino_ir_frontend next to libopenvino: without it the hit silently recompiles.
        #expect(second.settings.loadedFromCache == true, "the second compile must come from the model cache")
        #expect(second.settings.inferencePrecisionName == first.settings.inferencePrecisionName)
        let feeds: [String: OVTensor] = [
            "input_ids": try .int64([1, 2], shape: [1, 2]), "attention_mask": try .int64([1, 1], shape: [1, 2]),
            "token_type_ids": try .int64([0, 1], shape: [1, 2]),
        ]
        #expect(try second.makeInferRequest().run(feeds) == first.makeInferRequest().run(feeds))
    }
}
