import EmbedTestSupport
import Foundation
import Testing

@testable import EmbedORT

@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct SessionTests {
    let environment: ORTEnvironment

    init() throws {
        environment = try TestRuntime.environment()
    }

    func session(_ name: String, options: ORTSessionOptions = .init()) throws -> ORTSession {
        try ORTSession(path: TestPaths.fixture("onnx/\(name)").path, options: options, environment: environment)
    }

    @Test func libraryReportsVersionAndProviders() throws {
        let library = environment.library
        #expect(ORTVersion(library.version) != nil, "unparseable version \(library.version)")
        #expect(library.apiLevel >= Int(ORTLibrary.minimumAPIVersion))
        #expect(try environment.availableProviders().contains("CPUExecutionProvider"))
    }

    @Test func describesInputsOutputsAndMetadata() throws {
        let session = try session("tiny_scale.onnx")
        #expect(session.inputs == [ORTTensorInfo(name: "x", kind: .tensor, elementType: .int64, shape: [-1, 3], symbolicShape: ["batch", ""])])
        #expect(session.outputs.map(\.name) == ["y"])
        #expect(session.outputs.first?.elementType == .float)
        #expect(session.outputs.first?.shape == [-1, 3])
        #expect(session.metadata.producerName == "swift-embed-tests")
        #expect(session.metadata.custom == ["purpose": "swift-embed binding test", "scale": "0.5"])
        #expect(session.inputs.first?.description == "x: int64[batch, 3]")
    }

    @Test func runsInt64InputsToFloatOutputs() throws {
        let session = try session("tiny_scale.onnx")
        let x: [Int64] = [1, 2, 3, -4, 5, 600]
        let outputs = try session.run(["x": .int64(x, shape: [2, 3])])
        #expect(outputs.count == 1)
        let y = try #require(outputs.first)
        #expect(y.name == "y")
        #expect(y.shape == [2, 3])
        // y = x * 0.5 + [1, 2, 3]; every value is exact in float32, so equality is exact.
        let bias: [Float] = [1, 2, 3]
        let expected = x.enumerated().map { Float($0.element) * 0.5 + bias[$0.offset % 3] }
        #expect(try y.floats() == expected)
        let viaSpan = try y.withFloats { span in (0..<span.count).map { span[$0] } }
        #expect(viaSpan == expected)
    }

    @Test func loadsFromBytes() throws {
        let bytes = try [UInt8](Data(contentsOf: TestPaths.fixture("onnx/tiny_scale.onnx")))
        let session = try ORTSession(bytes: bytes, environment: environment)
        let y = try session.run(["x": .int64([2, 4, 6], shape: [1, 3])])
        #expect(try y[0].floats() == [2, 4, 6])
    }

    @Test func runsTheBertShapedGraph() throws {
        let session = try session("tiny_bert.onnx")
        let outputs = try session.run([
            "input_ids": .int64([2, 4, 3], shape: [1, 3]),
            "attention_mask": .int64([1, 1, 0], shape: [1, 3]),
            "token_type_ids": .int64([0, 1, 0], shape: [1, 3]),
        ])
        #expect(outputs[0].shape == [1, 3, 4])
        // E[i][j] = i + j/10, T[t] = 100 t, mask adds 0.5 to the first component.
        let expected: [Float] = [2.5, 2.1, 2.2, 2.3, 104.5, 104.1, 104.2, 104.3, 3.0, 3.1, 3.2, 3.3]
        let actual = try outputs[0].floats()
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) {
            #expect(abs(a - e) <= 1e-5, "tolerance 1e-5: \(a) vs \(e)")
        }
    }

    @Test func concurrentRunsOnOneSessionAreIndependent() async throws {
        let session = try session("tiny_scale.onnx")
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for n in 0..<32 {
                group.addTask {
                    let value = Int64(n)
                    let y = try session.run(["x": .int64([value, value, value], shape: [1, 3])])
                    return try y[0].floats() == [Float(n) * 0.5 + 1, Float(n) * 0.5 + 2, Float(n) * 0.5 + 3]
                }
            }
            for try await matched in group { #expect(matched) }
        }
    }

    @Test func appliesSessionOptionsAndSavesTheOptimizedGraph() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let optimized = folder.appendingPathComponent("optimized.onnx").path
        let options = ORTSessionOptions(
            intraOpThreads: 1, interOpThreads: 1, graphOptimizationLevel: .extended, executionMode: .parallel,
            memoryArena: false, memoryPattern: false, optimizedModelPath: optimized,
            configEntries: ["session.intra_op.allow_spinning": "0"])
        let session = try session("tiny_bert.onnx", options: options)
        #expect(FileManager.default.fileExists(atPath: optimized))
        let outputs = try session.run(
            ["input_ids": .int64([9], shape: [1, 1]), "attention_mask": .int64([0], shape: [1, 1]),
             "token_type_ids": .int64([0], shape: [1, 1])])
        #expect(try outputs[0].floats().first == 9)
    }

    @Test func negativeThreadCountIsRejected() throws {
        #expect(throws: ORTError.self) {
            try session("tiny_scale.onnx", options: ORTSessionOptions(intraOpThreads: -1))
        }
    }
}
