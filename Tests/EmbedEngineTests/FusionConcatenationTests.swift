import EmbedEngine
import Testing

/// `Fusion.concatenate`: vectors of two models (any sizes) each normalised, joined,
/// normalised again; no runtime needed (tolerance 1e-6 against the numbers by hand).
struct FusionConcatenationTests {
    @Test func eachHalfIsItsUnitVectorOverRootTwo() throws {
        let fused = try Fusion.concatenate(text: [3, 4], image: [0, 0, 2])
        let r = 1 / Float(2).squareRoot()
        let expected: [Float] = [0.6 * r, 0.8 * r, 0, 0, r]
        #expect(fused.count == 5)
        for (value, want) in zip(fused, expected) { #expect(abs(value - want) <= 1e-6, "\(fused)") }
        let norm = fused.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) <= 1e-6)
    }

    @Test func anEmptyVectorIsRefused() {
        #expect(throws: EmbedError.self) { try Fusion.concatenate(text: [], image: [1]) }
        #expect(throws: EmbedError.self) { try Fusion.concatenate(text: [1], image: []) }
    }
}
