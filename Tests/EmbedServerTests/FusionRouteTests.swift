import EmbedCore
import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/v1/embeddings` with Jina's items on the tiny CLIP: `{"text"}`, `{"image"}`, plain strings
/// and fused `{"text", "image"}` pairs, against the library's own vectors (`Embedder.embed`,
/// `Embedder.embedFused`) on the same inputs in the same call (tolerance 1e-6: the same
/// batches, the same arithmetic; the JSON round trip of a Float is exact).
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct FusionRouteTests {
    typealias H = ServerHarness

    static let cat = "a photo of a cat"
    static let dog = "a dog"

    static func body(_ response: TestResponse) throws -> [String: Any] {
        try #require(try H.object(response) as? [String: Any])
    }

    static func expectUnitNorms(_ vectors: [[Float]]) {
        for vector in vectors {
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) <= 1e-5, "norm \(norm), tolerance 1e-5")
        }
    }

    @Test func textImageAndStringItemsAreTheEmbeddersVectors() async throws {
        let embedder = try await ImageRouteTests.clip()
        let png = try ImageRouteTests.image("rgb-32x32.png")
        let jpeg = try ImageRouteTests.image("photo-64x64.jpg")
        let direct = try await embedder.embed([.text(Self.cat), .image(png), .text(Self.dog), .image(jpeg)])
        try await H.withServer(embedder) { client, _ in
            let input: [Any] = [
                ["text": Self.cat], ["image": png.base64EncodedString()], Self.dog,
                ["image": "data:image/jpeg;base64," + jpeg.base64EncodedString()],
            ]
            let response = try await H.post(client, "/v1/embeddings", ["input": input])
            #expect(response.status == .ok)
            let vectors = try H.openAIVectors(response)
            #expect(vectors.count == 4)
            for (index, (vector, expected)) in zip(vectors, direct.embeddings).enumerated() {
                H.expectClose(vector, expected, tolerance: 1e-6, "item \(index)")
            }
            let answer = try Self.body(response)
            #expect(answer["model"] as? String == embedder.info.name, "no '+fusion' without a fused item")
            let usage = try #require(answer["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == direct.tokenCounts.reduce(0, +))
        }
    }

    @Test(arguments: ServerFusion.Mode.allCases)
    func pairsAreEmbedFusedOfTheSameInputs(mode: ServerFusion.Mode) async throws {
        let embedder = try await ImageRouteTests.clip()
        let png = try ImageRouteTests.image("rgb-32x32.png")
        let jpeg = try ImageRouteTests.image("photo-64x64.jpg")
        let fusion = try Fusion(mode: mode.engine, dimension: embedder.info.dimension)
        let expected = try await embedder.embedFused([(Self.cat, png), (Self.dog, jpeg)], fusion: fusion)
        try await H.withServer(embedder) { client, _ in
            let items = [
                ["text": Self.cat, "image": png.base64EncodedString()],
                ["image": "data:image/jpeg;base64," + jpeg.base64EncodedString(), "text": Self.dog],
            ]
            let response = try await H.post(client, "/v1/embeddings", ["input": items, "fusion": ["mode": mode.rawValue]])
            #expect(response.status == .ok)
            let vectors = try H.openAIVectors(response)
            #expect(vectors.count == 2)
            for (index, (vector, wanted)) in zip(vectors, expected).enumerated() {
                H.expectClose(vector, wanted, tolerance: 1e-6, "pair \(index)")
            }
            let size = embedder.info.dimension
            #expect(vectors.map(\.count) == Array(repeating: mode == .concat ? 2 * size : size, count: 2))
            Self.expectUnitNorms(vectors)
            #expect(try Self.body(response)["model"] as? String == "\(embedder.info.name)+fusion:\(mode.rawValue)")
            // base64 answers carry the same fused vectors.
            let base64 = try await H.post(
                client, "/v1/embeddings", ["input": items, "fusion": ["mode": mode.rawValue], "encoding_format": "base64"])
            let data = try #require(try Self.body(base64)["data"] as? [[String: Any]])
            let encoded = try #require(data[0]["embedding"] as? String)
            let bytes = try #require(Data(base64Encoded: encoded))
            let decoded = stride(from: 0, to: bytes.count, by: 4).map { offset in
                Float(bitPattern: bytes[offset..<offset + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.1) << (8 * UInt32($1.0)) })
            }
            H.expectClose(decoded, expected[0], tolerance: 1e-6, "base64 pair 0")
        }
    }

    @Test func mixedItemsWithAWeightedMean() async throws {
        let embedder = try await ImageRouteTests.clip()
        let png = try ImageRouteTests.image("rgb-32x32.png")
        // The server's engine inputs for the items below: pair (text, image), string, image.
        let direct = try await embedder.embed([.text(Self.cat), .image(png), .text(Self.dog), .image(png)])
        let fusion = try Fusion(mode: .average, dimension: embedder.info.dimension, weight: 0.25)
        let fused = try fusion.fuse(text: direct.embeddings[0], image: direct.embeddings[1])
        let byHand = VectorMath.l2Normalized(
            zip(VectorMath.l2Normalized(direct.embeddings[0]), VectorMath.l2Normalized(direct.embeddings[1])).map { 0.25 * $0 + 0.75 * $1 })
        H.expectClose(fused, byHand, tolerance: 1e-6, "Fusion's weighted mean against the formula")
        try await H.withServer(embedder) { client, _ in
            let input: [Any] = [["text": Self.cat, "image": png.base64EncodedString()], Self.dog, ["image": png.base64EncodedString()]]
            let response = try await H.post(client, "/v1/embeddings", ["input": input, "fusion": ["mode": "mean", "weight": 0.25]])
            #expect(response.status == .ok)
            let vectors = try H.openAIVectors(response)
            #expect(vectors.count == 3)
            H.expectClose(vectors[0], fused, tolerance: 1e-6, "pair")
            H.expectClose(vectors[1], direct.embeddings[2], tolerance: 1e-6, "string")
            H.expectClose(vectors[2], direct.embeddings[3], tolerance: 1e-6, "image")
            Self.expectUnitNorms(vectors)
            #expect(try Self.body(response)["model"] as? String == "\(embedder.info.name)+fusion:mean(weight=0.25)")
        }
    }

    @Test func theServersDefaultFusionAppliesWhenTheRequestGivesNone() async throws {
        let embedder = try await ImageRouteTests.clip()
        let png = try ImageRouteTests.image("rgb-32x32.png")
        var configuration = ServerConfiguration()
        configuration.fusion = ServerFusion(mode: .mean, weight: 0.75)
        let expected = try await embedder.embedFused(
            [(Self.cat, png)], fusion: try Fusion(mode: .average, dimension: embedder.info.dimension, weight: 0.75))
        let concat = try await embedder.embedFused(
            [(Self.cat, png)], fusion: try Fusion(mode: .concatenate, dimension: embedder.info.dimension))
        try await H.withServer(embedder, configuration: configuration) { client, _ in
            let items = [["text": Self.cat, "image": png.base64EncodedString()]]
            let response = try await H.post(client, "/v1/embeddings", ["input": items])
            #expect(response.status == .ok)
            H.expectClose(try H.openAIVectors(response)[0], expected[0], tolerance: 1e-6, "server default")
            #expect(try Self.body(response)["model"] as? String == "\(embedder.info.name)+fusion:mean(weight=0.75)")
            // The request's mode wins (without a projection any mode goes).
            let other = try await H.post(client, "/v1/embeddings", ["input": items, "fusion": ["mode": "concat"]])
            H.expectClose(try H.openAIVectors(other)[0], concat[0], tolerance: 1e-6, "request's concat")
        }
    }

    @Test func theServersProjectionIsEmbedFusedWithTheProjection() async throws {
        let embedder = try await ImageRouteTests.clip()
        let png = try ImageRouteTests.image("rgb-32x32.png")
        let size = embedder.info.dimension
        let weight: [Float] = (0..<(8 * 2 * size)).map { Float(($0 * 7919) % 201 - 100) / 100 }
        let url = try SafetensorsFixture.write([("weight", [8, 2 * size], weight), ("bias", [8], (0..<8).map { Float($0) / 10 })])
        var configuration = ServerConfiguration()
        configuration.fusion = ServerFusion(mode: .concat, projection: url)
        let expected = try await embedder.embedFused(
            [(Self.cat, png)], fusion: try Fusion(mode: .concatenate, dimension: size, projection: url))
        try await H.withServer(embedder, configuration: configuration) { client, _ in
            let items = [["text": Self.cat, "image": png.base64EncodedString()]]
            let response = try await H.post(client, "/v1/embeddings", ["input": items])
            #expect(response.status == .ok)
            let vectors = try H.openAIVectors(response)
            #expect(vectors[0].count == 8)
            H.expectClose(vectors[0], expected[0], tolerance: 1e-6, "projected")
            Self.expectUnitNorms(vectors)
            #expect(try Self.body(response)["model"] as? String == "\(embedder.info.name)+fusion:concat+projection")
        }
    }
}
