import EmbedOpenVINO
import Foundation
import Testing

/// The closed form of tiny_bert (see scripts/make_test_models.py):
/// `E[id] + T[type] + mask * [0.5, 0, 0, 0]` with `E[i][j] = i + j / 10`, `T[t] = 100 t`.
func tinyBertExpected(ids: [Int64], mask: [Int64], types: [Int64]?) -> [Float] {
    var result: [Float] = []
    for position in ids.indices {
        for j in 0..<4 {
            var value = Float(ids[position]) + Float(j) / 10
            value += Float(100 * (types?[position] ?? 0))
            if j == 0 { value += 0.5 * Float(mask[position]) }
            result.append(value)
        }
    }
    return result
}

/// Whether every value is within `tolerance` of the expected one (absolute, or relative
/// to the magnitude when `relative`).
func close(_ actual: [Float], _ expected: [Float], tolerance: Float, relative: Bool = false) -> Bool {
    actual.count == expected.count
        && zip(actual, expected).allSatisfy { a, e in abs(a - e) <= tolerance * (relative ? max(1, abs(e)) : 1) }
}

@Suite(.enabled(if: OVTestRuntime.isAvailable, "needs OpenVINO: run scripts/install-openvino.sh or set OPENVINO_LIB_PATH"))
struct InferenceTests {
    let core: OVCore

    init() throws {
        core = try OVTestRuntime.core()
    }

    func compile(_ name: String, _ options: OVCompileOptions = .init(threads: 1)) throws -> OVCompiledModel {
        try core.compileModel(path: OVTestRuntime.fixture("onnx/\(name)"), options: options)
    }

    @Test func describesInputsAndOutputs() throws {
        let model = try core.readModel(path: OVTestRuntime.fixture("onnx/tiny_scale.onnx"))
        #expect(model.inputs == [OVPortInfo(name: "x", elementType: .i64, shape: OVPartialShape([.any, .fixed(3)]))])
        #expect(model.inputs.first?.description == "x: i64[?, 3]")
        #expect(model.outputs.map(\.name) == ["y"])
        let compiled = try core.compile(model)
        #expect(compiled.inputs == model.inputs)
        #expect(compiled.outputs.first?.elementType == .f32)
        #expect(compiled.outputs.first?.shape == OVPartialShape([.any, .fixed(3)]))
    }

    @Test func runsInt64InputsToFloatOutputsExactly() throws {
        let request = try compile("tiny_scale.onnx").makeInferRequest()
        let x: [Int64] = [1, 2, 3, -4, 5, 600]
        let outputs = try request.run(["x": .int64(x, shape: [2, 3])])
        let y = try #require(outputs.first)
        #expect(y.name == "y" && y.shape == [2, 3] && y.elementType == .f32)
        // y = x * 0.5 + [1, 2, 3]: every value is exact in float32, so equality is exact.
        let bias: [Float] = [1, 2, 3]
        #expect(y.values == x.enumerated().map { Float($0.element) * 0.5 + bias[$0.offset % 3] })
    }

    @Test(arguments: [[1, 1], [1, 3], [2, 5], [4, 2], [3, 16], [1, 7]])
    func oneCompiledModelRunsEveryBatchAndSequenceShape(shape: [Int]) throws {
        try checkTinyBert(request: Self.sharedBert.get().makeInferRequest(), batch: shape[0], sequence: shape[1])
    }

    static let sharedBert: Result<OVCompiledModel, OVError> = {
        do throws(OVError) {
            return .success(
                try OVTestRuntime.core().compileModel(
                    path: OVTestRuntime.fixture("onnx/tiny_bert.onnx"), options: .init(threads: 1)))
        } catch {
            return .failure(error)
        }
    }()

    @Test func oneRequestRunsSeveralShapesInTurn() throws {
        let request = try compile("tiny_bert.onnx").makeInferRequest()
        for (batch, sequence) in [(2, 3), (1, 9), (5, 1), (2, 3), (8, 12)] {
            try checkTinyBert(request: request, batch: batch, sequence: sequence)
        }
    }

    func checkTinyBert(request: OVInferRequest, batch: Int, sequence: Int) throws {
        let count = batch * sequence
        let ids = (0..<count).map { Int64(($0 * 7 + batch) % 10) }
        let mask = (0..<count).map { Int64($0 % sequence < max(1, sequence - 1) ? 1 : 0) }
        let types = (0..<count).map { Int64($0 % sequence >= sequence / 2 ? 1 : 0) }
        let outputs = try request.run([
            "input_ids": .int64(ids, shape: [batch, sequence]),
            "attention_mask": .int64(mask, shape: [batch, sequence]),
            "token_type_ids": .int64(types, shape: [batch, sequence]),
        ])
        let hidden = try #require(outputs.first)
        #expect(hidden.shape == [batch, sequence, 4])
        let expected = tinyBertExpected(ids: ids, mask: mask, types: types)
        #expect(close(hidden.values, expected, tolerance: 1e-5), "f32, tolerance 1e-5, shape [\(batch), \(sequence)]")
    }

    @Test func runsInt32Inputs() throws {
        let compiled = try compile("tiny_bert_int32.onnx")
        #expect(compiled.inputs.map(\.elementType) == [.i32, .i32, .i32])
        let ids: [Int32] = [2, 4, 3, 9, 0, 1]
        let mask: [Int32] = [1, 1, 0, 1, 1, 1]
        let types: [Int32] = [0, 1, 0, 1, 1, 0]
        let outputs = try compiled.makeInferRequest().run([
            "input_ids": .int32(ids, shape: [2, 3]),
            "attention_mask": .int32(mask, shape: [2, 3]),
            "token_type_ids": .int32(types, shape: [2, 3]),
        ])
        let expected = tinyBertExpected(ids: ids.map(Int64.init), mask: mask.map(Int64.init), types: types.map(Int64.init))
        #expect(outputs[0].shape == [2, 3, 4])
        #expect(close(outputs[0].values, expected, tolerance: 1e-5), "tolerance 1e-5")
    }

    @Test func runsModelsWithoutTypesPooledAndWithExternalData() throws {
        let ids: [Int64] = [2, 4, 5, 3]
        let mask: [Int64] = [1, 1, 1, 0]
        let noTypes = try compile("tiny_bert_no_types.onnx").makeInferRequest()
            .run(["input_ids": .int64(ids, shape: [1, 4]), "attention_mask": .int64(mask, shape: [1, 4])])
        #expect(close(noTypes[0].values, tinyBertExpected(ids: ids, mask: mask, types: nil), tolerance: 1e-5))

        let pooled = try compile("tiny_pooled.onnx").makeInferRequest()
            .run(["input_ids": .int64(ids, shape: [1, 4]), "attention_mask": .int64(mask, shape: [1, 4])])
        // The mean over the sequence of E[id]: (2 + 4 + 5 + 3) / 4 = 3.5, plus j / 10.
        #expect(pooled[0].shape == [1, 4])
        #expect(close(pooled[0].values, [3.5, 3.6, 3.7, 3.8], tolerance: 1e-5), "tolerance 1e-5")

        let types: [Int64] = [0, 0, 1, 1]
        let external = try compile("tiny_external.onnx").makeInferRequest().run([
            "input_ids": .int64(ids, shape: [1, 4]), "attention_mask": .int64(mask, shape: [1, 4]),
            "token_type_ids": .int64(types, shape: [1, 4]),
        ])
        #expect(close(external[0].values, tinyBertExpected(ids: ids, mask: mask, types: types), tolerance: 1e-5))
    }

    @Test func theStepByStepCallsMatchRun() throws {
        let request = try compile("tiny_scale.onnx").makeInferRequest()
        try request.setInput("x", .int64([2, 4, 6], shape: [1, 3]))
        try request.infer()
        #expect(try request.output("y").values == [2, 4, 6])
        try request.setInput("x", .int64([0, 0, 0, 2, 2, 2], shape: [2, 3]))
        try request.infer()
        let y = try request.output("y")
        #expect(y.shape == [2, 3] && y.values == [1, 2, 3, 2, 3, 4])
    }

    @Test func requestsOfOneCompiledModelRunInParallel() async throws {
        let compiled = try compile("tiny_bert.onnx", .init(performanceHint: .throughput, threads: 2, streams: 2))
        #expect(compiled.settings.streams == 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                let request = try compiled.makeInferRequest()
                group.addTask {
                    for round in 0..<25 {
                        try checkTinyBert(request: request, batch: 1 + (worker + round) % 4, sequence: 1 + (round % 9))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func oneRequestSharedByTasksIsSerialisedNotCorrupted() async throws {
        let request = try compile("tiny_scale.onnx").makeInferRequest()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for n in 0..<32 {
                group.addTask {
                    let value = Int64(n)
                    let y = try request.run(["x": .int64([value, value, value], shape: [1, 3])])
                    return y[0].values == [Float(value) * 0.5 + 1, Float(value) * 0.5 + 2, Float(value) * 0.5 + 3]
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
