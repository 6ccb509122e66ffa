import EmbedCore
import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `fusion.text_model`: a pair sent to the tiny CLIP whose text another served model (the
/// hashing engine, 24 values) embeds, concatenated: each half the model's own vector
/// normalised and divided by √2 (tolerance 1e-6), norm 1 (1e-5); mean and unknown names refused.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct CrossModelFusionTests {
    typealias H = ServerHarness

    static let cat = "a photo of a cat"

    static func withServers<Value: Sendable>(
        _ body: @Sendable (any TestClientProtocol, _ text: Embedder, _ clip: Embedder) async throws -> Value
    ) async throws -> Value {
        let text = try await MultiModelTests.hashing(24)
        let clip = try await ImageRouteTests.clip()
        let models = [ServedModel(name: "words", embedder: text), ServedModel(name: "clip", embedder: clip)]
        let server = try EmbeddingServer(configuration: .init(), models: models, logger: TestRuntime.logger)
        return try await server.makeApplication().test(.router) { client in try await body(client, text, clip) }
    }

    @Test func concatJoinsTheTextModelsAndTheImageModelsVectors() async throws {
        let png = try ImageRouteTests.image("rgb-32x32.png")
        try await Self.withServers { client, text, clip in
            let textVector = try await text.embed([.text(Self.cat)]).embeddings[0]
            let clipDirect = try await clip.embed([.image(png), .text("a dog")]).embeddings
            let items: [Any] = [["text": Self.cat, "image": png.base64EncodedString()], "a dog"]
            let response = try await H.post(
                client, "/v1/embeddings",
                ["model": "clip", "input": items, "fusion": ["mode": "concat", "text_model": "words"]])
            #expect(response.status == .ok)
            let vectors = try H.openAIVectors(response)
            #expect(vectors.count == 2)
            let fused = vectors[0]
            #expect(fused.count == 24 + clip.info.dimension, "\(fused.count)")
            let norm = fused.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) <= 1e-5, "norm \(norm), tolerance 1e-5")
            let half = Float(2).squareRoot()
            H.expectClose(Array(fused.prefix(24)), VectorMath.l2Normalized(textVector).map { $0 / half }, tolerance: 1e-6, "text half")
            H.expectClose(
                Array(fused.dropFirst(24)), VectorMath.l2Normalized(clipDirect[0]).map { $0 / half }, tolerance: 1e-6, "image half")
            // The library's function gives the same floats.
            H.expectClose(fused, try Fusion.concatenate(text: textVector, image: clipDirect[0]), tolerance: 1e-6, "Fusion.concatenate")
            // A plain string beside the pair is the request's model's (CLIP's) text vector.
            H.expectClose(vectors[1], clipDirect[1], tolerance: 1e-6, "string item")
            let answer = try #require(try H.object(response) as? [String: Any])
            #expect(answer["model"] as? String == "clip+fusion:concat(text=words)")
        }
    }

    @Test func meanAcrossModelsUnknownNamesAndTheSameModel() async throws {
        let png = try ImageRouteTests.image("rgb-32x32.png")
        let pair = ["text": Self.cat, "image": png.base64EncodedString()]
        try await Self.withServers { client, _, clip in
            func post(_ fusion: [String: Any]) async throws -> TestResponse {
                try await H.post(client, "/v1/embeddings", ["model": "clip", "input": [pair], "fusion": fusion])
            }
            try H.expectError(
                try await post(["mode": "mean", "text_model": "words"]), .badRequest, param: "fusion.text_model",
                mentions: ["\"words\"", "another space", "concat"])
            try H.expectError(
                try await post(["mode": "concat", "text_model": "minilm"]), .notFound, param: "fusion.text_model",
                mentions: ["'minilm'", "'words', 'clip'"])
            // Naming the request's own model is a fusion of one model, as without text_model.
            let same = try await post(["mode": "concat", "text_model": "clip"])
            #expect(same.status == .ok)
            #expect((try H.object(same) as? [String: Any])?["model"] as? String == "clip+fusion:concat")
            let expected = try await clip.embedFused(
                [(Self.cat, png)], fusion: try Fusion(mode: .concatenate, dimension: clip.info.dimension))
            H.expectClose(try H.openAIVectors(same)[0], expected[0], tolerance: 1e-6, "same-model concat")
        }
    }

    @Test func aSingleModelServerRefusesATextModelItDoesNotServe() async throws {
        let png = try ImageRouteTests.image("rgb-32x32.png")
        try await H.withServer(try await ImageRouteTests.clip(), configuration: .init(modelID: "clip")) { client, _ in
            let response = try await H.post(
                client, "/v1/embeddings",
                ["input": [["text": Self.cat, "image": png.base64EncodedString()]], "fusion": ["mode": "concat", "text_model": "words"]])
            try H.expectError(response, .notFound, param: "fusion.text_model", mentions: ["'words'", "'clip'"])
        }
    }
}
