import EmbedCore
import EmbedEngine
import EmbedTestSupport
import Foundation
import Testing

/// Loading refuses what does not fit, with a message naming the problem.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct ValidationTests {
    let tokenizer = TestPaths.fixture("tiny-model/tokenizer.json")

    func loadError(_ source: ModelSource, _ configuration: EmbedderConfiguration = .init()) async -> EmbedError? {
        do {
            _ = try await Embedder(source, configuration: configuration, logger: TestRuntime.logger)
            Issue.record("expected the model to be refused")
        } catch {
            return error
        }
        return nil
    }

    @Test func outputThatIsNotAnEmbeddingIsNamed() async {
        let error = await loadError(.onnxFile(TestPaths.fixture("onnx/tiny_bad_output.onnx"), tokenizer: tokenizer))
        #expect(error?.code == .invalidModel)
        #expect(error?.message.contains("expected last_hidden_state") == true)
        #expect(error?.message.contains("logits: float[batch]") == true, "\(String(describing: error))")
    }

    @Test func inputThatIsNotTextIsNamed() async {
        let error = await loadError(.onnxFile(TestPaths.fixture("onnx/tiny_bad_input.onnx"), tokenizer: tokenizer))
        #expect(error?.code == .invalidModel)
        #expect(error?.message.contains("pixel_values: float[batch, 3]") == true, "\(String(describing: error))")
    }

    @Test func missingPathsAreModelNotFound() async throws {
        #expect(throws: EmbedError.self) { try ModelSource.path("/nonexistent/model") }
        let empty = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: empty) }
        let error = await loadError(.folder(empty))
        #expect(error?.code == .modelNotFound)
        #expect(error?.message.contains("onnx/model.onnx, model.onnx") == true, "\(String(describing: error))")
        // `.folder` built by hand (not through `ModelSource.path`) on a path that is not there,
        // or is a file: said as such, not as a folder without an ONNX file.
        let missing = await loadError(.folder(empty.appendingPathComponent("absent")))
        #expect(missing?.code == .modelNotFound)
        #expect(missing?.message.hasSuffix("absent does not exist") == true, "\(String(describing: missing))")
        let file = empty.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        let notFolder = await loadError(.folder(file))
        #expect(notFolder?.message.hasSuffix("is a file, not a folder") == true, "\(String(describing: notFolder))")
    }

    @Test func corruptONNXFileIsInvalid() async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("model.onnx")
        try Data(contentsOf: TestPaths.fixture("onnx/tiny_bert.onnx")).prefix(300).write(to: file)
        let error = await loadError(.onnxFile(file, tokenizer: tokenizer))
        #expect(error?.code == .invalidModel)
        #expect(error?.message.contains(file.path) == true)
    }

    @Test func configurationOutOfRangeIsRefused() async {
        let folder = ModelSource.folder(TestPaths.fixture("tiny-model"))
        #expect(await loadError(folder, EmbedderConfiguration(batching: .init(maxBatchSize: 0)))?.code == .invalidConfiguration)
        let tooLong = await loadError(folder, EmbedderConfiguration(maxLength: 17))
        #expect(tooLong?.message.contains("16 positions") == true, "\(String(describing: tooLong))")
        #expect(await loadError(folder, EmbedderConfiguration(maxLength: 2))?.code == .invalidConfiguration)
        let pooled = ModelSource.onnxFile(TestPaths.fixture("onnx/tiny_pooled.onnx"), tokenizer: tokenizer)
        #expect(await loadError(pooled, EmbedderConfiguration(pooling: .mean))?.code == .invalidConfiguration)
    }

    /// A `max_seq_length` the model cannot take is refused at load, naming the file, not
    /// answered with an error from inside the model on the first long input.
    @Test(arguments: [100_000_000, 17, -5, 0, 2])
    func maxSeqLengthOfTheModelFilesIsChecked(_ value: Int) async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("tiny-model")
        try FamilyModelTests.copy(TestPaths.fixture("tiny-model"), to: model, skipping: ["sentence_bert_config.json"])
        try Data(#"{"max_seq_length": \#(value), "do_lower_case": false}"#.utf8)
            .write(to: model.appendingPathComponent("sentence_bert_config.json"))
        let error = await loadError(.folder(model))
        #expect(error?.code == .invalidModel, "\(String(describing: error))")
        let message = error?.message ?? ""
        #expect(message.contains("maximum length \(value) (sentence_bert_config.json max_seq_length)"), "\(message)")
        #expect(message.contains(value > 16 ? "16 positions" : "leaves no room for text"), "\(message)")
    }

    /// Symbolic link loops, dangling links and folders where files belong are named as such.
    @Test func unusablePathsSayWhatIsWrong() async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manager = FileManager.default
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try manager.createSymbolicLink(atPath: path("loop-a"), withDestinationPath: "loop-b")
        try manager.createSymbolicLink(atPath: path("loop-b"), withDestinationPath: "loop-a")
        #expect(throwsMessage { try ModelSource.path(path("loop-a")) }.contains("it is a symbolic link loop"))
        try manager.createSymbolicLink(atPath: path("dangling"), withDestinationPath: "gone")
        #expect(throwsMessage { try ModelSource.path(path("dangling")) }.contains("is a symbolic link to gone, which does not exist"))

        // onnx/model.onnx is a folder; tokenizer.json a loop.
        let model = folder.appendingPathComponent("model")
        try FamilyModelTests.copy(TestPaths.fixture("tiny-model"), to: model, skipping: ["onnx", "tokenizer.json"])
        try manager.createDirectory(at: model.appendingPathComponent("onnx/model.onnx"), withIntermediateDirectories: true)
        let folderError = await loadError(.folder(model))
        #expect(folderError?.message.contains("onnx/model.onnx is a folder, not a file") == true, "\(String(describing: folderError))")
        try manager.removeItem(at: model.appendingPathComponent("onnx"))
        try manager.createDirectory(at: model.appendingPathComponent("onnx"), withIntermediateDirectories: true)
        try manager.copyItem(at: TestPaths.fixture("tiny-model/onnx/model.onnx"), to: model.appendingPathComponent("onnx/model.onnx"))
        try manager.createSymbolicLink(atPath: model.appendingPathComponent("tokenizer.json").path, withDestinationPath: "tokenizer.json")
        let loopError = await loadError(.folder(model))
        #expect(loopError?.message.contains("tokenizer.json is a symbolic link loop") == true, "\(String(describing: loopError))")
    }

    private func throwsMessage(_ body: () throws -> ModelSource) -> String {
        do {
            let source = try body()
            return "no error: \(source)"
        } catch let error as EmbedError {
            return error.message
        } catch {
            return "not an EmbedError: \(error)"
        }
    }

    @Test func tokenizerIsFoundNextToASingleFile() throws {
        let source = try ModelSource.path(TestPaths.fixture("tiny-model/onnx/model.onnx").path)
        #expect(source == .onnxFile(TestPaths.fixture("tiny-model/onnx/model.onnx"), tokenizer: TestPaths.fixture("tiny-model/tokenizer.json")))
        #expect(throws: EmbedError.self) { try ModelSource.path(TestPaths.fixture("onnx/tiny_scale.onnx").path) }
    }
}
