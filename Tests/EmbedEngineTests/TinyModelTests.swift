import EmbedCore
import EmbedORT
import EmbedEngine
import EmbedTestSupport
import EmbedTokenizers
import Foundation
import Testing

/// The engine on the tiny BERT-shaped graph of `scripts/make_test_models.py`, whose
/// output is known in closed form: token vector = E[id] + T[type] + mask × M with
/// E[i][j] = i + j/10, T[t] = 100 t, M = [0.5, 0, 0, 0]. Vocabulary: [PAD] 0, [UNK] 1,
/// [CLS] 2, [SEP] 3, hello 4, world 5, foo 6, bar 7, ##s 8, the 9.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct TinyModelTests {
    static let tolerance: Float = 1e-5

    static func tokenVector(_ id: Int) -> [Float] {
        [Float(id) + 0.5, Float(id) + 0.1, Float(id) + 0.2, Float(id) + 0.3]
    }

    /// Mean of the token vectors of `ids` (all real tokens, type 0), optionally normalised.
    static func expected(_ ids: [Int], normalize: Bool = true) -> [Float] {
        var sum = [Float](repeating: 0, count: 4)
        for id in ids { for (j, value) in tokenVector(id).enumerated() { sum[j] += value } }
        let mean = sum.map { $0 / Float(ids.count) }
        return normalize ? VectorMath.l2Normalized(mean) : mean
    }

    static func expectClose(_ actual: [Float], _ expected: [Float], _ comment: Comment? = nil) {
        #expect(actual.count == expected.count, comment)
        for (a, e) in zip(actual, expected) {
            #expect(abs(a - e) <= tolerance, "tolerance \(tolerance): \(actual) vs \(expected) \(comment.map { "\($0)" } ?? "")")
        }
    }

    func embedder(_ configuration: EmbedderConfiguration = .init()) async throws -> Embedder {
        try await Embedder(.folder(TestPaths.fixture("tiny-model")), configuration: configuration, logger: TestRuntime.logger)
    }

    @Test func loadsTheFolderAndDescribesIt() async throws {
        let embedder = try await embedder()
        let info = embedder.info
        #expect(info.dimension == 4)
        #expect(info.pooling == .mean)
        #expect(info.normalize)
        #expect(info.maxLength.value == 8)
        #expect(info.maxLength.source == "sentence_bert_config.json max_seq_length")
        #expect(info.runtime?.outputName == "last_hidden_state")
        #expect(info.runtime?.inputs.map(\.name) == ["input_ids", "attention_mask", "token_type_ids"])
        #expect(info.engine.hasPrefix("onnxruntime "))
    }

    @Test func embedsWithMeanPoolingAndNormalization() async throws {
        let embedder = try await embedder()
        let result = try await embedder.embedWithDetails(["Hello world", "the foo"])
        Self.expectClose(result.embeddings[0], Self.expected([2, 4, 5, 3]))
        Self.expectClose(result.embeddings[1], Self.expected([2, 9, 6, 3]))
        #expect(result.tokenCounts == [4, 4])
        #expect(result.model == "tiny-model")
        #expect(result.engine == embedder.info.engine)
    }

    @Test func paddingAndBatchingDoNotChangeVectors() async throws {
        let texts = ["hello", "hello world foo bar the", "", "worlds", "bar bar", "the the the"]
        let ids: [[Int]] = [[2, 4, 3], [2, 4, 5, 6, 7, 9, 3], [2, 3], [2, 5, 8, 3], [2, 7, 7, 3], [2, 9, 9, 9, 3]]
        for configuration in [
            EmbedderConfiguration(batching: .init(maxBatchSize: 32)), EmbedderConfiguration(batching: .init(maxBatchSize: 2)),
            EmbedderConfiguration(batching: .init(maxBatchSize: 4, sortByLength: false)),
            EmbedderConfiguration(batching: .init(maxBatchSize: 1)),
        ] {
            let embeddings = try await embedder(configuration).embed(texts)
            #expect(embeddings.count == texts.count)
            for (index, vector) in embeddings.enumerated() {
                Self.expectClose(vector, Self.expected(ids[index]), "text \(index), batch \(configuration.batching.maxBatchSize)")
            }
        }
    }

    @Test func truncatesToTheModelsMaximumLength() async throws {
        let embedder = try await embedder()
        let text = Array(repeating: "foo", count: 20).joined(separator: " ")
        let result = try await embedder.embedWithDetails([text])
        #expect(result.tokenCounts == [8])
        Self.expectClose(result.embeddings[0], Self.expected([2] + Array(repeating: 6, count: 6) + [3]))
    }

    @Test func emptyInputGivesEmptyOutput() async throws {
        #expect(try await embedder().embed([]).isEmpty)
    }

    @Test func overridesApply() async throws {
        let embedder = try await embedder(EmbedderConfiguration(maxLength: 4, normalize: false, pooling: try Pooling([.cls])))
        let vector = try await embedder.embed(["hello world foo"])[0]
        Self.expectClose(vector, Self.tokenVector(2))
        #expect(embedder.info.maxLength.value == 4)
        #expect(embedder.info.normalizeSource == "configuration")
    }

    @Test func singleFileWithoutTokenTypeInput() async throws {
        let source = ModelSource.onnxFile(
            TestPaths.fixture("onnx/tiny_bert_no_types.onnx"), tokenizer: TestPaths.fixture("tiny-model/tokenizer.json"))
        let embedder = try await Embedder(source, logger: TestRuntime.logger)
        #expect(embedder.info.runtime?.inputs.map(\.name) == ["input_ids", "attention_mask"])
        // No modules.json: no normalisation, as sentence-transformers would do; mean pooling.
        #expect(embedder.info.normalize == false)
        Self.expectClose(try await embedder.embed(["bar"])[0], Self.expected([2, 7, 3], normalize: false))
    }

    @Test func pooledOutputIsUsedAsIs() async throws {
        let source = ModelSource.onnxFile(
            TestPaths.fixture("onnx/tiny_pooled.onnx"), tokenizer: TestPaths.fixture("tiny-model/tokenizer.json"))
        let embedder = try await Embedder(source, logger: TestRuntime.logger)
        #expect(embedder.info.pooling == nil)
        #expect(embedder.info.runtime?.outputName == "sentence_embedding")
        // The graph averages E[id] over the sequence: ids 2, 5, 3 → mean 10/3 + j/10.
        let mean = Float(10) / 3
        Self.expectClose(try await embedder.embed(["world"])[0], [mean, mean + 0.1, mean + 0.2, mean + 0.3])
    }

    @Test func concurrentCallersGetTheirOwnVectors() async throws {
        let embedder = try await embedder()
        let words = ["hello", "world", "foo", "bar", "the"]
        let ids = [4, 5, 6, 7, 9]
        try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
            for n in 0..<40 {
                group.addTask {
                    let texts = (0...(n % 5)).map { words[($0 + n) % 5] }
                    return (n, try await embedder.embed(texts))
                }
            }
            for try await (n, vectors) in group {
                for (position, vector) in vectors.enumerated() {
                    Self.expectClose(vector, Self.expected([2, ids[(position + n) % 5], 3]), "caller \(n)")
                }
            }
        }
    }

    @Test func inputsWithOptionsTokenIdsTruncationAndDimensions() async throws {
        let embedder = try await embedder()
        let texts = try await embedder.embedWithDetails(["hello world", "the foo"])
        let ids = try await embedder.embed([.tokenIds([2, 4, 5, 3]), .text("the foo")], options: .init())
        Self.expectClose(ids.embeddings[0], texts.embeddings[0], "token ids of 'hello world'")
        Self.expectClose(ids.embeddings[1], texts.embeddings[1], "text through the options path")
        #expect(ids.tokenCounts == texts.tokenCounts)
        let cut = try await embedder.embed([.text("hello world")], options: .init(dimensions: 2))
        Self.expectClose(cut.embeddings[0], VectorMath.l2Normalized(Array(texts.embeddings[0].prefix(2))), "dimensions 2")
        let long = Array(repeating: "foo", count: 20).joined(separator: " ")
        await #expect(throws: EmbedError.self) { try await embedder.embed([.text(long)], options: .init(truncate: false)) }
        await #expect(throws: EmbedError.self) { try await embedder.embed([.tokenIds([2, 99, 3])], options: .init()) }
        await #expect(throws: EmbedError.self) { try await embedder.embed([.text("a")], options: .init(dimensions: 5)) }
        let left = try await embedder.embed([.text("hello " + long)], options: .init(truncationDirection: .left))
        let right = try await embedder.embed([.text("hello " + long)], options: .init())
        #expect(left.embeddings[0] != right.embeddings[0], "left truncation drops 'hello', right keeps it")
    }
}
