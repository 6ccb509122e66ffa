import EmbedCore
import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/v1/embeddings` with infinity's `modality: "image"` on the tiny CLIP: base64 and data URLs
/// give the embedder's own vectors; URLs, bad base64 and bad images are 400s naming `input`.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct ImageRouteTests {
    typealias H = ServerHarness

    static func clip() async throws -> Embedder {
        try await Embedder(.folder(TestPaths.fixture("clip/tiny")), logger: TestRuntime.logger)
    }

    static func image(_ name: String) throws -> Data {
        try Data(contentsOf: TestPaths.fixture("clip/images/\(name)"))
    }

    @Test func base64AndDataURLImagesAreTheEmbeddersVectors() async throws {
        let embedder = try await Self.clip()
        let png = try Self.image("rgb-32x32.png")
        let jpeg = try Self.image("photo-64x64.jpg")
        let direct = try await embedder.embed([.image(png), .image(jpeg)]).embeddings
        let texts = try await embedder.embed(["a photo of a cat"])
        try await H.withServer(embedder) { client, _ in
            let body: [String: Any] = [
                "modality": "image",
                "input": [png.base64EncodedString(), "data:image/jpeg;base64," + jpeg.base64EncodedString()],
            ]
            let response = try await H.post(client, "/v1/embeddings", body)
            #expect(response.status == .ok)
            let vectors = try H.openAIVectors(response)
            #expect(vectors.count == 2)
            // Tolerance 1e-5: the same engine, the same batch shapes.
            for (vector, expected) in zip(vectors, direct) { H.expectClose(vector, expected) }
            let single = try await H.post(client, "/v1/embeddings", ["modality": "image", "input": png.base64EncodedString()])
            H.expectClose(try H.openAIVectors(single)[0], direct[0])
            let text = try await H.post(client, "/v1/embeddings", ["modality": "text", "input": "a photo of a cat"])
            H.expectClose(try H.openAIVectors(text)[0], texts[0])
        }
    }

    @Test func urlsBadBase64AndBadImagesAre400NamingInput() async throws {
        let embedder = try await Self.clip()
        try await H.withServer(embedder) { client, _ in
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["modality": "image", "input": ["https://example.com/cat.jpg"]]),
                .badRequest, param: "input", mentions: ["input[0]", "does not fetch images", "server.image_url_hosts"])
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["modality": "image", "input": "not base64!"]),
                .badRequest, param: "input", mentions: ["'input'", "base64"])
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["modality": "image", "input": ["data:text/plain;base64,aGk="]]),
                .badRequest, param: "input", mentions: ["data:image/"])
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["modality": "image", "input": [1]]),
                .badRequest, param: "input", mentions: ["must be a string"])
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["modality": "video", "input": "x"]),
                .badRequest, param: "modality", mentions: ["\"image\""])
            // A valid base64 of bytes that are no image: the engine's error, naming the input.
            let gif = Data("GIF89a".utf8) + Data(repeating: 0, count: 32)
            let png = try Self.image("rgb-32x32.png").base64EncodedString()
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["modality": "image", "input": [png, gif.base64EncodedString()]]),
                .badRequest, param: "input", mentions: ["input 1", "GIF"])
        }
    }

    @Test func theBodyLimitStillApplies() async throws {
        var configuration = ServerConfiguration()
        configuration.payloadLimit = 1_000
        let large = try Self.image("rgb-64x48.png").base64EncodedString()
        #expect(large.utf8.count > 1_000)
        try await H.withServer(try await Self.clip(), configuration: configuration) { client, _ in
            let response = try await H.post(client, "/v1/embeddings", ["modality": "image", "input": large])
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test func imagesOverTheEnginesLimitsAre413NamingTheInput() async throws {
        let png = try Self.image("rgb-64x48.png")
        var bytes = EmbedderConfiguration()
        bytes.images = ImageInputConfiguration(maxBytes: png.count - 1)
        var pixels = EmbedderConfiguration()
        pixels.images = ImageInputConfiguration(maxPixels: 64 * 48 - 1)
        for (engine, limit) in [(bytes, "\(png.count - 1)"), (pixels, "\(64 * 48 - 1)")] {
            let clip = try await Embedder(.folder(TestPaths.fixture("clip/tiny")), configuration: engine, logger: TestRuntime.logger)
            try await H.withServer(clip) { client, _ in
                let response = try await H.post(
                    client, "/v1/embeddings", ["modality": "image", "input": [png.base64EncodedString()]])
                try H.expectError(response, .contentTooLarge, param: "input", mentions: ["input 0", "limit of \(limit)"])
                #expect(try H.error(response)["code"] as? String == "payload_too_large")
            }
        }
    }

    @Test func aTextModelRefusesImagesByInputIndex() async throws {
        try await H.withServer(try await H.tinyEmbedder()) { client, _ in
            let png = try Self.image("rgb-32x32.png").base64EncodedString()
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["modality": "image", "input": [png]]),
                .badRequest, param: "input", mentions: ["input 0", "no vision tower"])
        }
    }
}
