import EmbedCore
import EmbedEngine
import EmbedORT
import EmbedTestSupport
import Foundation
import Testing

/// Several model runs at once (`workers`): the same vectors in the same order as one run at
/// a time, and statistics that account for every batch.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct WorkersTests {
    /// 1,000 texts of 1 to 12 words, so that tokenization is shared too (more than 256 texts).
    static let texts: [String] = (0..<1_000).map { index in
        let words = ["hello", "world", "foo", "bar", "the", "worlds", "unknownword"]
        return (0...(index * 7 % 12)).map { words[(index + $0 * $0) % words.count] }.joined(separator: " ")
    }

    func embedder(workers: Int, batchSize: Int = 16) async throws -> Embedder {
        try await Embedder(
            .folder(TestPaths.fixture("tiny-model")),
            configuration: EmbedderConfiguration(
                batching: .init(maxBatchSize: batchSize, workers: workers), session: ORTSessionOptions(intraOpThreads: 1)),
            logger: TestRuntime.logger)
    }

    @Test(arguments: [2, 3])
    func parallelRunsGiveTheSameVectorsInOrder(_ workers: Int) async throws {
        let one = try await embedder(workers: 1).embedWithDetails(Self.texts)
        let many = try await embedder(workers: workers).embedWithDetails(Self.texts)
        // Same batches, same single-threaded kernels: bit-identical.
        #expect(many.embeddings == one.embeddings)
        #expect(many.tokenCounts == one.tokenCounts)
        let statistics = try #require(many.statistics)
        #expect(statistics.batches.count == (Self.texts.count + 15) / 16)
        #expect(statistics.batches.reduce(0) { $0 + $1.size } == Self.texts.count)
        #expect(statistics.realTokens == many.tokenCounts.reduce(0, +))
        #expect(statistics.paddingRatio >= 1)
    }

    @Test func workersAreChecked() async {
        await #expect(throws: EmbedError.self) { _ = try await embedder(workers: 0) }
        await #expect(throws: EmbedError.self) { _ = try await embedder(workers: 65) }
    }

    @Test(.enabled(if: TestRuntime.isRealModelAvailable, "needs the real model: run `make setup`"))
    func realModelWithTwoWorkersMatchesOne() async throws {
        let texts = Array(try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("scripts/data/reference_sentences.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init).prefix(96))
        func load(_ workers: Int) async throws -> Embedder {
            try await Embedder(
                .folder(TestRuntime.realModelFolder),
                configuration: EmbedderConfiguration(
                    batching: .init(maxBatchSize: 8, workers: workers), session: ORTSessionOptions(intraOpThreads: 1)),
                logger: TestRuntime.logger)
        }
        let one = try await load(1).embed(texts)
        let two = try await load(2).embed(texts)
        for (a, b) in zip(one, two) {
            #expect(try VectorMath.dot(a, b) >= 0.999999, "cosine ≥ 0.999999 between 1 and 2 workers")
        }
    }
}
