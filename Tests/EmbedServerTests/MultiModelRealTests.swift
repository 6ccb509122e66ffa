import EmbedCore
import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The case of issue 13: the real all-MiniLM-L6-v2 beside the tiny CLIP of the fixtures in
/// one server, each chosen by `model`, each answering what its own embedder answers, and
/// a pair whose text MiniLM embeds and whose image CLIP embeds, concatenated.
@Suite(.enabled(if: TestRuntime.isRealModelAvailable, "needs ONNX Runtime and .cache/models/all-MiniLM-L6-v2: run `make setup`"))
struct MultiModelRealTests {
    typealias H = ServerHarness

    @Test func miniLMAndCLIPSideBySide() async throws {
        let miniLM = try await Embedder(.folder(TestRuntime.realModelFolder), logger: TestRuntime.logger)
        let clip = try await Embedder(.folder(TestPaths.fixture("clip/tiny")), logger: TestRuntime.logger)
        let png = try Data(contentsOf: TestPaths.fixture("clip/images/rgb-32x32.png"))
        let texts = ["a photo of a cat", "swift embeddings"].map(EmbeddingInput.text)
        let direct = (
            miniLM: try await miniLM.embed(texts).embeddings, clipText: try await clip.embed(texts).embeddings,
            clipImage: try await clip.embed([.image(png)]).embeddings)
        let models = [ServedModel(name: "minilm", embedder: miniLM), ServedModel(name: "clip", embedder: clip)]
        let server = try EmbeddingServer(configuration: .init(), models: models, logger: TestRuntime.logger)
        try await server.makeApplication().test(.router) { client in
            // Tolerance 1e-5: the same engine and inputs, possibly other batch shapes.
            let text = try await H.post(client, "/v1/embeddings", ["input": ["a photo of a cat", "swift embeddings"], "model": "minilm"])
            #expect(text.status == .ok, "\(String(buffer: text.body))")
            let textVectors = try H.openAIVectors(text)
            #expect(textVectors.first?.count == 384)
            for (vector, expected) in zip(textVectors, direct.miniLM) { H.expectClose(vector, expected, tolerance: 1e-5) }
            let clipTextResponse = try await H.post(client, "/v1/embeddings", ["input": ["a photo of a cat", "swift embeddings"], "model": "clip"])
            #expect(clipTextResponse.status == .ok, "\(String(buffer: clipTextResponse.body))")
            let clipText = try H.openAIVectors(clipTextResponse)
            for (vector, expected) in zip(clipText, direct.clipText) { H.expectClose(vector, expected, tolerance: 1e-5) }
            let image = try await H.post(
                client, "/v1/embeddings", ["input": png.base64EncodedString(), "modality": "image", "model": "clip"])
            #expect(image.status == .ok, "\(String(buffer: image.body))")
            H.expectClose(try H.openAIVectors(image)[0], direct.clipImage[0], tolerance: 1e-5)
            // MiniLM has no vision tower: an image for it is refused, not sent to CLIP.
            let refused = try await H.post(
                client, "/v1/embeddings", ["input": png.base64EncodedString(), "modality": "image", "model": "minilm"])
            #expect(refused.status != .ok)
            // Issue 13's concat: MiniLM's text vector and CLIP's image vector, joined and
            // normalised: 384 + CLIP's dimension, norm 1 within 1e-5, the library's floats within 1e-5.
            let pair = try await H.post(
                client, "/v1/embeddings",
                [
                    "model": "clip", "input": [["text": "a photo of a cat", "image": png.base64EncodedString()]],
                    "fusion": ["mode": "concat", "text_model": "minilm"],
                ])
            #expect(pair.status == .ok, "\(String(buffer: pair.body))")
            let fused = try H.openAIVectors(pair)[0]
            #expect(fused.count == 384 + clip.info.dimension)
            let norm = fused.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) <= 1e-5, "norm \(norm), tolerance 1e-5")
            H.expectClose(fused, try Fusion.concatenate(text: direct.miniLM[0], image: direct.clipImage[0]), tolerance: 1e-5)
            #expect((try H.object(pair) as? [String: Any])?["model"] as? String == "clip+fusion:concat(text=minilm)")
            let list = try #require(try H.object(try await client.execute(uri: "/v1/models", method: .get)) as? [String: Any])
            #expect((list["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["minilm", "clip"])
            let info = try #require(try H.object(try await client.execute(uri: "/info", method: .get)) as? [String: Any])
            let listed = try #require(info["models"] as? [[String: Any]])
            #expect(listed.map { $0["modalities"] as? [String] } == [["text"], ["text", "image"]])
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }
}
