import EmbedCore

/// Retrieval quality on pairs that belong together: query `i`'s one relevant document is
/// document `i`, every other document is a distractor. Scores are cosine similarities.
struct RetrievalScores: Sendable, Equatable {
    /// The number of queries (and documents).
    var count: Int
    /// The share of queries whose document ranks first.
    var recallAt1: Double
    /// The share of queries whose document is among the first ten.
    var recallAt10: Double
    /// The mean of 1 / rank of the document, counting 0 when it ranks below ten.
    var mrrAt10: Double

    /// Ranks every document for every query. A document tied with the relevant one ranks
    /// ahead of it (the pessimistic rank), so ties never flatter the scores.
    static func evaluate(queries: [[Float]], documents: [[Float]]) throws(EmbedCoreError) -> RetrievalScores {
        guard queries.count == documents.count, !queries.isEmpty else {
            throw EmbedCoreError(
                .invalidArgument, "retrieval needs as many documents as queries, at least one (got \(queries.count) and \(documents.count))")
        }
        let units = documents.map(VectorMath.l2Normalized)
        var hits1 = 0
        var hits10 = 0
        var reciprocal = 0.0
        for (index, query) in queries.enumerated() {
            let unit = VectorMath.l2Normalized(query)
            var scores: [Float] = []
            scores.reserveCapacity(units.count)
            for document in units { scores.append(try VectorMath.dot(unit, document)) }
            let relevant = scores[index]
            let rank = 1 + scores.indices.filter { $0 != index && scores[$0] >= relevant }.count
            if rank == 1 { hits1 += 1 }
            if rank <= 10 {
                hits10 += 1
                reciprocal += 1 / Double(rank)
            }
        }
        let n = Double(queries.count)
        return RetrievalScores(count: queries.count, recallAt1: Double(hits1) / n, recallAt10: Double(hits10) / n, mrrAt10: reciprocal / n)
    }
}
