import EmbedCore
@testable import embed
import Testing

/// The retrieval scores of `embed quantize` and bench/quality.
struct RetrievalMetricsTests {
    @Test func retrievalScoresRankTheRelevantDocument() throws {
        // Query 0 finds document 0 first; query 1's document ranks second (document 0 is closer);
        // query 2's document ranks first.
        let queries: [[Float]] = [[1, 0, 0], [0.9, 0.1, 0], [0, 0, 1]]
        let documents: [[Float]] = [[1, 0, 0], [0, 1, 0], [0, 0.1, 1]]
        let scores = try RetrievalScores.evaluate(queries: queries, documents: documents)
        #expect(scores.count == 3)
        #expect(abs(scores.recallAt1 - 2.0 / 3) <= 1e-12)
        #expect(scores.recallAt10 == 1)
        #expect(abs(scores.mrrAt10 - (1 + 0.5 + 1) / 3) <= 1e-12)
        #expect(throws: EmbedCoreError.self) { try RetrievalScores.evaluate(queries: queries, documents: []) }
    }
}
