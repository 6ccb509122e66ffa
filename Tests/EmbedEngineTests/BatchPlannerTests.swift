@testable import EmbedEngine
import Testing

struct BatchPlannerTests {
    @Test func sortedBatchesRespectSizeAndTokenBudget() {
        let lengths = [10, 200, 30, 250, 12, 256, 40, 11]
        let plan = BatchPlanner.plan(lengths: lengths, maxBatchSize: 3, maxBatchTokens: 500, sortByLength: true)
        // Every text exactly once.
        #expect(plan.flatMap { $0 }.sorted() == Array(lengths.indices))
        for batch in plan {
            #expect(batch.count <= 3)
            let longest = batch.map { lengths[$0] }.max() ?? 0
            #expect(batch.count * longest <= 500 || batch.count == 1, "\(batch.map { lengths[$0] })")
        }
        // Longest first: 256 and 250 cannot share 500 tokens (2 × 256 = 512), 250 and 200 can
        // (2 × 250), a third text cannot (3 × 250); then the size cap of 3.
        #expect(plan.map { $0.map { lengths[$0] } } == [[256], [250, 200], [40, 30, 12], [11, 10]])
    }

    @Test func aTextLongerThanTheBudgetRunsAlone() {
        let plan = BatchPlanner.plan(lengths: [600, 5, 5], maxBatchSize: 8, maxBatchTokens: 100, sortByLength: true)
        #expect(plan == [[0], [1, 2]])
    }

    @Test func withoutABudgetOnlyTheSizeCounts() {
        let plan = BatchPlanner.plan(lengths: Array(repeating: 256, count: 10), maxBatchSize: 4, sortByLength: true)
        #expect(plan.map(\.count) == [4, 4, 2])
        let unsorted = BatchPlanner.plan(lengths: [1, 9, 2, 8], maxBatchSize: 2, sortByLength: false)
        #expect(unsorted == [[0, 1], [2, 3]])
    }
}
