import EmbedTestSupport
import Foundation
import Testing

@testable import EmbedORT

@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct ErrorTests {
    let environment: ORTEnvironment

    init() throws {
        environment = try TestRuntime.environment()
    }

    /// Runs `body` and returns the `ORTError` it throws (failing the test when it does not).
    func error(_ body: () throws -> Void) -> ORTError? {
        do {
            try body()
            Issue.record("expected an ORTError, nothing was thrown")
        } catch let error as ORTError {
            return error
        } catch {
            Issue.record("expected an ORTError, got \(error)")
        }
        return nil
    }

    @Test func statusBecomesAnErrorWithCodeAndMessage() throws {
        let api = environment.library.api
        let status = api.createStatus(2, "something specific went wrong")
        let error = error { try api.check(status, "doing a thing") }
        #expect(error?.code == .runtime(.invalidArgument))
        #expect(error?.message == "doing a thing: something specific went wrong")
        #expect(error?.description.hasPrefix("ONNX Runtime error (invalidArgument)") == true)
    }

    @Test func successStatusDoesNotThrow() throws {
        try environment.library.api.check(nil, "nothing")
    }

    @Test func wrongModelPathNamesThePath() throws {
        let path = TestPaths.fixture("onnx/does-not-exist.onnx").path
        let error = error { _ = try ORTSession(path: path, environment: environment) }
        #expect(error?.code == .runtime(.noSuchFile))
        #expect(error?.message.contains(path) == true)
    }

    @Test func truncatedModelFileIsReported() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = try Data(contentsOf: TestPaths.fixture("onnx/tiny_bert.onnx"))
        let path = folder.appendingPathComponent("truncated.onnx")
        try bytes.prefix(bytes.count / 2).write(to: path)
        let error = error { _ = try ORTSession(path: path.path, environment: environment) }
        #expect(error?.code == .runtime(.invalidProtobuf))
        #expect(error?.message.contains(path.path) == true)
        let fromBytes = self.error { _ = try ORTSession(bytes: [UInt8](bytes.prefix(100)), environment: environment) }
        #expect(fromBytes?.code == .runtime(.invalidProtobuf))
    }

    @Test func missingInputIsNamed() throws {
        let session = try ORTSession(path: TestPaths.fixture("onnx/tiny_bert.onnx").path, environment: environment)
        let error = error { _ = try session.run(["input_ids": .int64([1, 2], shape: [1, 2])]) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("missing input 'attention_mask'") == true)
    }

    @Test func unknownInputOutputTypeAndRankAreNamed() throws {
        let session = try ORTSession(path: TestPaths.fixture("onnx/tiny_scale.onnx").path, environment: environment)
        let unknown = error { _ = try session.run(["x": .int64([1, 2, 3], shape: [1, 3]), "z": .int64([1], shape: [1])]) }
        #expect(unknown?.message.contains("no input named 'z'") == true)
        let wrongType = error { _ = try session.run(["x": .float([1, 2, 3], shape: [1, 3])]) }
        #expect(wrongType?.message.contains("expects int64 values, got float") == true)
        let wrongRank = error { _ = try session.run(["x": .int64([1, 2, 3], shape: [3])]) }
        #expect(wrongRank?.message.contains("has shape [3]") == true)
        let wrongFixedDimension = error { _ = try session.run(["x": .int64([1, 2, 3, 4], shape: [1, 4])]) }
        #expect(wrongFixedDimension?.code == .invalidArgument)
        let unknownOutput = error { _ = try session.run(["x": .int64([1, 2, 3], shape: [1, 3])], outputs: ["nope"]) }
        #expect(unknownOutput?.message.contains("no output named 'nope'") == true)
    }

    @Test func inconsistentShapesAreReportedByTheRuntime() throws {
        let session = try ORTSession(path: TestPaths.fixture("onnx/tiny_bert.onnx").path, environment: environment)
        let error = error {
            _ = try session.run([
                "input_ids": .int64([1, 2], shape: [1, 2]), "attention_mask": .int64([1, 1, 1], shape: [1, 3]),
                "token_type_ids": .int64([0, 0], shape: [1, 2]),
            ])
        }
        guard case .runtime = error?.code else {
            Issue.record("expected a runtime error, got \(String(describing: error))")
            return
        }
        #expect(error?.message.hasPrefix("running the model") == true)
    }

    @Test func readingTheWrongElementTypeIsAnError() throws {
        let session = try ORTSession(path: TestPaths.fixture("onnx/tiny_scale.onnx").path, environment: environment)
        let y = try session.run(["x": .int64([1, 2, 3], shape: [1, 3])])[0]
        let error = error { _ = try y.int64s() }
        #expect(error?.code == .typeMismatch)
    }
}

struct TensorValidationTests {
    @Test func shapeMustMatchTheValues() {
        #expect(throws: ORTError(.invalidArgument, "tensor shape [2, 3] needs 6 values, got 5")) {
            try ORTTensor.int64([1, 2, 3, 4, 5], shape: [2, 3])
        }
        #expect(throws: ORTError.self) { try ORTTensor.int64([], shape: [-1]) }
        #expect(throws: ORTError.self) { try ORTTensor.int64([1], shape: [Int.max, 4]) }
        #expect(throws: Never.self) { try ORTTensor.float([1, 2], shape: [1, 2]) }
    }
}
