@testable import EmbedEngine
import Testing

/// The one batch former, offline and online policies, from lengths alone.
struct BatchFormerTests {
    func former(
        maxBatchSize: Int = 32, maxBatchTokens: Int = 1024, maxPaddingRatio: Double = 1.1, sortByLength: Bool = true
    ) -> BatchFormer {
        BatchFormer(
            configuration: BatchingConfiguration(
                maxBatchSize: maxBatchSize, maxBatchTokens: maxBatchTokens, maxPaddingRatio: maxPaddingRatio,
                sortByLength: sortByLength))
    }

    // MARK: Offline

    @Test func offlineBatchesRespectSizeAndTokenBudget() {
        let lengths = [10, 200, 30, 250, 12, 256, 40, 11]
        let plan = former(maxBatchSize: 3, maxBatchTokens: 500).plan(lengths: lengths)
        #expect(plan.flatMap { $0 }.sorted() == Array(lengths.indices), "every input exactly once")
        for batch in plan {
            #expect(batch.count <= 3)
            let longest = batch.map { lengths[$0] }.max() ?? 0
            #expect(batch.count * longest <= 500 || batch.count == 1, "\(batch.map { lengths[$0] })")
        }
        // Longest first: 256 and 250 cannot share 500 tokens (2 × 256 = 512), 250 and 200 can
        // (2 × 250), a third text cannot (3 × 250); then the size cap of 3.
        #expect(plan.map { $0.map { lengths[$0] } } == [[256], [250, 200], [40, 30, 12], [11, 10]])
    }

    @Test func anInputLongerThanTheBudgetRunsAlone() {
        #expect(former(maxBatchSize: 8, maxBatchTokens: 100).plan(lengths: [600, 5, 5]) == [[0], [1, 2]])
    }

    @Test func withAnAmpleBudgetOnlyTheSizeCounts() {
        let plan = former(maxBatchSize: 4, maxBatchTokens: .max / 64).plan(lengths: Array(repeating: 256, count: 10))
        #expect(plan.map(\.count) == [4, 4, 2])
        let unsorted = former(maxBatchSize: 2, maxBatchTokens: .max / 64, sortByLength: false).plan(lengths: [1, 9, 2, 8])
        #expect(unsorted == [[0, 1], [2, 3]])
    }

    // MARK: Online

    @Test func theOldestInputIsAlwaysTaken() {
        #expect(former(maxBatchSize: 4, maxBatchTokens: 100).select(lengths: []) == [])
        #expect(former(maxBatchSize: 4, maxBatchTokens: 100).select(lengths: [300]) == [0])
        #expect(former(maxBatchSize: 1, maxBatchTokens: 100).select(lengths: [5, 5, 5]) == [0])
    }

    @Test func inputsOfSimilarLengthGoTogether() {
        // Oldest has 10 tokens: the 9, 11 and 12 go with it before the 100s and the 2.
        let lengths = [10, 100, 9, 2, 11, 100, 12]
        let chosen = former(maxBatchSize: 4, maxBatchTokens: 10_000, maxPaddingRatio: 100).select(lengths: lengths)
        #expect(chosen == [0, 2, 4, 6])
        #expect(BatchFormer.paddedTokens(chosen.map { lengths[$0] }) == 48)
    }

    @Test func thePaddedTokenBudgetHolds() {
        let lengths = [50, 60, 40, 200, 45]
        let chosen = former(maxBatchTokens: 200, maxPaddingRatio: 100).select(lengths: lengths)
        #expect(BatchFormer.paddedTokens(chosen.map { lengths[$0] }) <= 200)
        // 50, 45, 40 (3 × 50 = 150); adding 60 would make 4 × 60 = 240.
        #expect(chosen == [0, 4, 2])
        for _ in 0..<50 {
            let random = (0..<40).map { _ in Int.random(in: 1...256) }
            let size = Int.random(in: 1...32)
            let budget = Int.random(in: 256...4096)
            let picked = former(maxBatchSize: size, maxBatchTokens: budget, maxPaddingRatio: 100).select(lengths: random)
            #expect(picked.first == 0)
            #expect(Set(picked).count == picked.count, "no input twice")
            #expect(picked.count <= size)
            #expect(BatchFormer.paddedTokens(picked.map { random[$0] }) <= budget)
        }
    }

    @Test func inputsThatWouldPadTooMuchWait() {
        // 100, 95, 90: padded 300 for 285 real. Adding the 10 would pad 400 for 295 real
        // (ratio 1.36), over the cap of 1.2, so the 10 waits.
        let lengths = [100, 10, 90, 95]
        #expect(former(maxBatchSize: 8, maxBatchTokens: 10_000, maxPaddingRatio: 1.2).select(lengths: lengths) == [0, 3, 2])
        #expect(former(maxBatchSize: 8, maxBatchTokens: 10_000, maxPaddingRatio: 100).select(lengths: lengths) == [0, 3, 2, 1])
        for _ in 0..<50 {
            let random = (0..<40).map { _ in Int.random(in: 1...256) }
            let ratio = Double.random(in: 1...3)
            let chosen = former(maxBatchTokens: 16_384, maxPaddingRatio: ratio).select(lengths: random).map { random[$0] }
            #expect(
                Double(BatchFormer.paddedTokens(chosen)) <= ratio * Double(chosen.reduce(0, +)) + 1e-9,
                "padding ratio \(ratio) holds")
        }
    }

    // MARK: Configuration

    @Test func theBatchingConfigurationIsCheckedInOnePlace() {
        for bad in [
            BatchingConfiguration(maxBatchSize: 0), BatchingConfiguration(maxBatchTokens: 0),
            BatchingConfiguration(maxPaddingRatio: 0.5), BatchingConfiguration(maxPaddingRatio: .infinity),
            BatchingConfiguration(workers: 0), BatchingConfiguration(workers: 65), BatchingConfiguration(maxConcurrentRequests: 0),
        ] {
            #expect(throws: EmbedError.self, "\(bad)") { try bad.validate() }
        }
        #expect(throws: Never.self) { try BatchingConfiguration().validate() }
    }
}
