import EmbedCore
import EmbedEngine
import EmbedTestSupport
import Foundation
import Testing

/// Text + image fusion on the tiny CLIP: the fused vector is the normalised combination of
/// the two towers' normalised vectors, through the learned projection when one is given.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct FusionTests {
    static let item = ("a photo of a cat", "images/rgb-32x32.png")

    static func parts(_ embedder: Embedder) async throws -> (text: [Float], image: [Float], bytes: Data) {
        let bytes = try Data(contentsOf: TestPaths.fixture("clip/\(item.1)"))
        let result = try await embedder.embed([.text(item.0), .image(bytes)]).embeddings
        return (result[0], result[1], bytes)
    }

    @Test func averageIsTheNormalisedMeanOfBothTowers() async throws {
        let embedder = try await Embedder(.folder(CLIPFixtures.tiny), logger: TestRuntime.logger)
        let (text, image, bytes) = try await Self.parts(embedder)
        let fusion = try Fusion(mode: .average, dimension: embedder.info.dimension)
        let fused = try await embedder.embedFused([(Self.item.0, bytes)], fusion: fusion)[0]
        let expected = VectorMath.l2Normalized(zip(text, image).map { ($0 + $1) / 2 })
        #expect(fused.count == 16)
        for (a, b) in zip(fused, expected) { #expect(abs(a - b) <= Float(1e-6), "tolerance 1e-6") }
    }

    @Test func concatenationThroughAProjectionGives768Values() async throws {
        let embedder = try await Embedder(.folder(CLIPFixtures.tiny), logger: TestRuntime.logger)
        let (text, image, bytes) = try await Self.parts(embedder)
        let weight: [Float] = (0..<(768 * 32)).map { (index: Int) -> Float in Float((index * 7919) % 201 - 100) / 100 }
        let bias: [Float] = (0..<768).map { (index: Int) -> Float in Float(index % 13) / 50 }
        let url = try SafetensorsFixture.write([("weight", [768, 32], weight), ("bias", [768], bias)])
        let fusion = try Fusion(mode: .concatenate, dimension: 16, projection: url)
        #expect(fusion.outputDimension(for: 16) == 768)
        let fused = try await embedder.embedFused([(Self.item.0, bytes)], fusion: fusion)[0]
        let input = VectorMath.l2Normalized(text) + VectorMath.l2Normalized(image)
        let projected: [Float] = (0..<768).map { (row: Int) -> Float in
            (0..<32).reduce(bias[row]) { (sum: Float, column: Int) -> Float in sum + weight[row * 32 + column] * input[column] }
        }
        let expected = VectorMath.l2Normalized(projected)
        #expect(fused.count == 768)
        for (a, b) in zip(fused, expected) { #expect(abs(a - b) <= Float(1e-5), "tolerance 1e-5") }
    }

    @Test func aProjectionOfTheWrongShapeIsRefusedByName() throws {
        let url = try SafetensorsFixture.write([("weight", [768, 16], [Float](repeating: 0, count: 768 * 16))])
        do {
            _ = try Fusion(mode: .concatenate, dimension: 16, projection: url)
            Issue.record("a [768, 16] matrix cannot project concatenated 16-value vectors")
        } catch {
            #expect(error.message.contains("[768, 16]") && error.message.contains("[out, 32]"), "\(error.message)")
        }
        let extra = try SafetensorsFixture.write([("weight", [4, 16], [Float](repeating: 0, count: 64)), ("scale", [1], [1])])
        #expect(throws: EmbedError.self) { try Fusion(mode: .average, dimension: 16, projection: extra) }
    }

    @Test func aWeightedMeanGivesTheTextItsShare() async throws {
        let embedder = try await Embedder(.folder(CLIPFixtures.tiny), logger: TestRuntime.logger)
        let (text, image, bytes) = try await Self.parts(embedder)
        let fusion = try Fusion(mode: .average, dimension: embedder.info.dimension, weight: 0.2)
        let fused = try await embedder.embedFused([(Self.item.0, bytes)], fusion: fusion)[0]
        let (t, i) = (VectorMath.l2Normalized(text), VectorMath.l2Normalized(image))
        let expected = VectorMath.l2Normalized(zip(t, i).map { 0.2 * $0 + 0.8 * $1 })
        for (a, b) in zip(fused, expected) { #expect(abs(a - b) <= Float(1e-6), "tolerance 1e-6") }
        // Weight 1 is the text's vector, 0 the image's.
        let textOnly = try Fusion(mode: .average, dimension: 16, weight: 1).fuse(text: text, image: image)
        for (a, b) in zip(textOnly, t) { #expect(abs(a - b) <= Float(1e-6), "tolerance 1e-6") }
        for weight: Float in [-0.01, 1.01, .nan] {
            #expect(throws: EmbedError.self) { try Fusion(mode: .average, dimension: 16, weight: weight) }
            #expect(throws: EmbedError.self) { try fusion.weighted(weight) }
        }
        #expect(try fusion.weighted(0.7).weight == 0.7)
    }
}
