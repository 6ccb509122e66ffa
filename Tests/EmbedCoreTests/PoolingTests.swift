import EmbedCore
import Testing

/// Pooling against values computed by hand. Batch of 2, sequence 3, dimension 2; the
/// second row has one padding position whose values are large, so any leak shows.
struct PoolingTests {
    // Row 0: tokens (1, 2), (3, 4), (5, 6), mask 1 1 1.
    // Row 1: tokens (2, -2), (4, 0), (100, 100), mask 1 1 0.
    let hidden: [Float] = [1, 2, 3, 4, 5, 6, 2, -2, 4, 0, 100, 100]
    let mask = [1, 1, 1, 1, 1, 0]

    func pool(_ modes: [Pooling.Mode]) throws -> [[Float]] {
        try Pooling(modes).pool(hidden, batch: 2, sequence: 3, dimension: 2, attentionMask: mask)
    }

    func expectClose(_ actual: [[Float]], _ expected: [[Float]], tolerance: Float = 1e-6) {
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) {
            #expect(a.count == e.count)
            for (x, y) in zip(a, e) { #expect(abs(x - y) <= tolerance, "tolerance \(tolerance): \(a) vs \(e)") }
        }
    }

    @Test func meanIgnoresPadding() throws {
        expectClose(try pool([.mean]), [[3, 4], [3, -1]])
    }

    @Test func cls() throws {
        expectClose(try pool([.cls]), [[1, 2], [2, -2]])
    }

    @Test func maxIgnoresPadding() throws {
        expectClose(try pool([.max]), [[5, 6], [4, 0]])
    }

    @Test func meanSqrtLen() throws {
        // Row 0: sum (9, 12) / sqrt(3); row 1: sum (6, -2) / sqrt(2).
        expectClose(try pool([.meanSqrtLen]), [[9 / Float(3).squareRoot(), 12 / Float(3).squareRoot()],
                                               [6 / Float(2).squareRoot(), -2 / Float(2).squareRoot()]])
    }

    @Test func weightedMean() throws {
        // Weights 1, 2, 3 (row 0) and 1, 2 (row 1).
        expectClose(try pool([.weightedMean]), [[(1 + 6 + 15) / 6, (2 + 8 + 18) / 6], [(2 + 8) / 3, (-2 + 0) / 3]])
    }

    @Test func lastTokenSkipsPadding() throws {
        expectClose(try pool([.lastToken]), [[5, 6], [4, 0]])
    }

    @Test func severalModesConcatenateInSentenceTransformersOrder() throws {
        // Given as mean, cls: the result is still cls then mean.
        let pooling = try Pooling([.mean, .cls])
        #expect(pooling.modes == [.cls, .mean])
        #expect(pooling.description == "cls+mean")
        #expect(pooling.outputDimension(for: 2) == 4)
        expectClose(try pooling.pool(hidden, batch: 2, sequence: 3, dimension: 2, attentionMask: mask),
                    [[1, 2, 3, 4], [2, -2, 3, -1]])
    }

    @Test func allPaddingRowGivesZerosForMean() throws {
        let result = try Pooling.mean.pool([7, 7], batch: 1, sequence: 1, dimension: 2, attentionMask: [0])
        expectClose(result, [[0, 0]])
    }

    @Test func mismatchedShapesAreErrors() {
        #expect(throws: EmbedCoreError.self) {
            try Pooling.mean.pool(hidden, batch: 2, sequence: 3, dimension: 3, attentionMask: mask)
        }
        #expect(throws: EmbedCoreError.self) {
            try Pooling.mean.pool(hidden, batch: 2, sequence: 3, dimension: 2, attentionMask: [1, 1])
        }
        #expect(throws: EmbedCoreError.self) { try Pooling([]) }
    }
}

struct VectorMathTests {
    @Test func normalizationGivesUnitLength() {
        var vector: [Float] = [3, 4]
        VectorMath.l2Normalize(&vector)
        #expect(vector == [0.6, 0.8])
        #expect(abs(VectorMath.norm(vector) - 1) <= 1e-7)
        // A zero vector stays zero instead of becoming NaN.
        #expect(VectorMath.l2Normalized([0, 0]) == [0, 0])
    }

    @Test func cosineAndDot() throws {
        #expect(try VectorMath.dot([1, 2, 3], [4, 5, 6]) == 32)
        #expect(abs(try VectorMath.cosine([1, 0], [1, 1]) - Float(0.5).squareRoot()) <= 1e-6)
        #expect(try VectorMath.cosine([0, 0], [1, 1]) == 0)
        #expect(throws: EmbedCoreError.self) { try VectorMath.dot([1], [1, 2]) }
    }

    @Test func matryoshkaTruncationRenormalizes() {
        let truncated = VectorMath.truncated([3, 4, 12], to: 2, normalize: true)
        #expect(truncated == [0.6, 0.8])
        #expect(VectorMath.truncated([3, 4, 12], to: 2, normalize: false) == [3, 4])
        #expect(VectorMath.truncated([1, 2], to: 3, normalize: false) == [1, 2], "at most all values")
        #expect(VectorMath.truncated([1, 2], to: 0, normalize: false) == [1], "at least one value")
    }
}
