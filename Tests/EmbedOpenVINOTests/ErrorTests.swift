import EmbedOpenVINO
import Foundation
import Testing

@Suite struct TensorValidationTests {
    @Test func valuesMustFillTheShape() {
        let error = #expect(throws: OVError.self) { try OVTensor.int64([1, 2, 3], shape: [2, 2]) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("[2, 2] needs 4 values, got 3") == true)
        #expect(throws: OVError.self) { try OVTensor.float([1], shape: [-1]) }
        #expect(throws: OVError.self) { try OVTensor.int32([], shape: [Int.max, 2]) }
    }

    @Test func optionsAreCheckedBeforeOpenVINOSeesThem() {
        #expect(throws: OVError.self) { try OVCompileOptions(threads: -1).properties() }
        #expect(throws: OVError.self) { try OVCompileOptions(streams: 0).properties() }
        #expect(throws: OVError.self) { try OVCompileOptions(cacheDirectory: "").properties() }
        let properties = try? OVCompileOptions(
            precision: .bf16, performanceHint: .throughput, threads: 2, streams: 2, cacheDirectory: "model-cache",
            additionalProperties: ["NUM_STREAMS": "3"]
        ).properties()
        #expect(properties?.map(\.key) == ["INFERENCE_PRECISION_HINT", "PERFORMANCE_HINT", "INFERENCE_NUM_THREADS", "CACHE_DIR", "NUM_STREAMS"])
        #expect(properties?.map(\.value) == ["bf16", "THROUGHPUT", "2", "model-cache", "3"])
    }
}

@Suite(.enabled(if: OVTestRuntime.isAvailable, "needs OpenVINO: run scripts/install-openvino.sh or set OPENVINO_LIB_PATH"))
struct ErrorTests {
    let core: OVCore

    init() throws {
        core = try OVTestRuntime.core()
    }

    @Test func aMissingModelFileIsFileNotFound() {
        let error = #expect(throws: OVError.self) { try core.readModel(path: "/nonexistent/model.onnx") }
        #expect(error?.code == .fileNotFound)
        #expect(error?.message.contains("/nonexistent/model.onnx") == true)
    }

    @Test func aFolderIsNotAModel() throws {
        let folder = try OVTestRuntime.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = #expect(throws: OVError.self) { try core.readModel(path: folder.path) }
        #expect(error?.code == .invalidArgument)
    }

    @Test func anInvalidONNXFileIsARuntimeErrorNamingTheFile() throws {
        let folder = try OVTestRuntime.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("broken.onnx")
        try Data("this is not a protobuf".utf8).write(to: file)
        let error = #expect(throws: OVError.self) { try core.readModel(path: file.path) }
        #expect(error?.code == .runtime(.generalError))
        #expect(error?.message.contains(file.path) == true, "\(String(describing: error))")
    }

    @Test func anUnknownOperatorFailsToLoadWithATypedError() {
        let path = OVTestRuntime.fixture("onnx/tiny_unknown_op.onnx")
        let error = #expect(throws: OVError.self) { try core.compileModel(path: path) }
        #expect(error?.code == .runtime(.generalError))
        #expect(error?.message.contains("Int4PackedGather") == true, "\(String(describing: error))")
    }

    @Test func badPropertiesAndDevicesAreTypedErrorsNamingThem() {
        let path = OVTestRuntime.fixture("onnx/tiny_scale.onnx")
        let property = #expect(throws: OVError.self) {
            try core.compileModel(path: path, options: .init(additionalProperties: ["NUM_STREAMS": "lots"]))
        }
        #expect(property?.code == .runtime(.generalError))
        #expect(property?.message.contains("NUM_STREAMS=lots") == true)
        let device = #expect(throws: OVError.self) { try core.compileModel(path: path, device: "NO_SUCH_DEVICE") }
        #expect(device?.message.contains("NO_SUCH_DEVICE") == true)
    }

    @Test func wrongInputsAreInvalidArguments() throws {
        let request = try core.compileModel(path: OVTestRuntime.fixture("onnx/tiny_scale.onnx")).makeInferRequest()
        let name = #expect(throws: OVError.self) { try request.run(["input": .int64([1, 2, 3], shape: [1, 3])]) }
        #expect(name?.code == .invalidArgument)
        #expect(name?.message.contains("no input named 'input'; its inputs are x") == true)
        let missing = #expect(throws: OVError.self) { try request.run([:]) }
        #expect(missing?.message.contains("missing input 'x'") == true)
        let type = #expect(throws: OVError.self) { try request.run(["x": .float([1, 2, 3], shape: [1, 3])]) }
        #expect(type?.message.contains("expects i64 values, got f32") == true)
        let rank = #expect(throws: OVError.self) { try request.run(["x": .int64([1, 2, 3], shape: [3])]) }
        #expect(rank?.message.contains("has shape [3], the model declares x: i64[?, 3]") == true)
        let fixed = #expect(throws: OVError.self) { try request.setInput("x", .int64([1, 2, 3, 4], shape: [1, 4])) }
        #expect(fixed?.code == .invalidArgument)
        let empty = #expect(throws: OVError.self) { try request.run(["x": .int64([], shape: [0, 3])]) }
        #expect(empty?.message.contains("is empty") == true)
        let output = #expect(throws: OVError.self) { try request.output("z") }
        #expect(output?.message.contains("no output named 'z'") == true)
        // The request still works after all these.
        #expect(try request.run(["x": .int64([2, 2, 2], shape: [1, 3])])[0].values == [2, 3, 4])
    }

    @Test func inconsistentShapesAcrossInputsAreRuntimeErrors() throws {
        let request = try core.compileModel(path: OVTestRuntime.fixture("onnx/tiny_bert.onnx")).makeInferRequest()
        let error = #expect(throws: OVError.self) {
            try request.run([
                "input_ids": .int64([1, 2, 3], shape: [1, 3]), "attention_mask": .int64([1, 1, 1, 1], shape: [1, 4]),
                "token_type_ids": .int64([0, 0, 0], shape: [1, 3]),
            ])
        }
        #expect(error?.code == .runtime(.generalError), "\(String(describing: error))")
        #expect(error?.message.contains("running") == true)
        let ids = try OVTensor.int64([1, 2], shape: [1, 2])
        #expect(try request.run(["input_ids": ids, "attention_mask": ids, "token_type_ids": .int64([0, 0], shape: [1, 2])])[0].shape == [1, 2, 4])
    }
}
