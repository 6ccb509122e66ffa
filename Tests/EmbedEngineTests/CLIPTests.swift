import EmbedCore
import EmbedEngine
import EmbedTestSupport
import EmbedTokenizers
import Foundation
import Testing

/// The tiny CLIP in its three ONNX layouts against PyTorch (`get_text_features`,
/// `get_image_features` of the same weights): every vector ≥ 0.9999 cosine (fp32), the int8
/// towers ≥ 0.985; towers found from the files' inputs and outputs.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct CLIPTests {
    static let minimumCosine: Float = 0.9999
    /// int8 towers against PyTorch's fp32 (measured minimum 0.9900 text, 0.9940 image: see docs/images.md).
    static let minimumQuantizedCosine: Float = 0.985

    static func compareAll(_ embedder: Embedder, minimum: Float, _ layout: String) async throws -> (text: Float, image: Float) {
        let texts = try CLIPFixtures.texts()
        let text = try await embedder.embed(texts.map(\.text))
        let textCosine = try CLIPFixtures.expectClose(text, texts.map(\.text_embeds), minimum: minimum, "\(layout) text")
        let images = try CLIPFixtures.images()
        let result = try await embedder.embed(try images.map { .image(try CLIPFixtures.bytes($0)) })
        let imageCosine = try CLIPFixtures.expectClose(
            result.embeddings, images.map(\.image_embeds), minimum: minimum, "\(layout) image")
        for vector in text + result.embeddings {
            #expect(abs(VectorMath.norm(vector) - 1) <= 1e-5, "\(layout): CLIP vectors are normalised (tolerance 1e-5)")
        }
        print("CLIP \(layout): min cosine text \(textCosine), image \(imageCosine)")
        return (textCosine, imageCosine)
    }

    @Test func splitTowersMatchPyTorch() async throws {
        let embedder = try await CLIPFixtures.embedder(CLIPFixtures.tiny)
        let towers = embedder.info.towers
        #expect(towers.map(\.tower) == [.text, .vision])
        #expect(towers.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["text_model.onnx", "vision_model.onnx"])
        #expect(towers.map(\.output) == ["text_embeds", "image_embeds"])
        #expect(towers.allSatisfy { !$0.isJoint && !$0.quantized })
        #expect(embedder.info.dimension == 16)
        #expect(embedder.info.maxLength.value == 77)
        #expect(embedder.info.normalize)
        _ = try await Self.compareAll(embedder, minimum: Self.minimumCosine, "split")
    }

    @Test func jointModelMatchesPyTorch() async throws {
        let embedder = try await CLIPFixtures.embedder(CLIPFixtures.tiny, onnxFile: "onnx/model.onnx")
        #expect(embedder.info.towers.map(\.tower) == [.text, .vision])
        #expect(embedder.info.towers.allSatisfy { $0.isJoint && $0.path.hasSuffix("onnx/model.onnx") })
        _ = try await Self.compareAll(embedder, minimum: Self.minimumCosine, "joint")
    }

    @Test func visionOnlyFolderEmbedsImagesAndRefusesTexts() async throws {
        let embedder = try await CLIPFixtures.embedder(CLIPFixtures.visionOnly)
        #expect(embedder.info.towers.map(\.tower) == [.vision])
        let images = try CLIPFixtures.images()
        let result = try await embedder.embed(try images.map { .image(try CLIPFixtures.bytes($0)) })
        let cosine = try CLIPFixtures.expectClose(
            result.embeddings, images.map(\.image_embeds), minimum: Self.minimumCosine, "vision-only")
        print("CLIP vision-only: min cosine image \(cosine)")
        do {
            _ = try await embedder.embed(["a photo of a cat"])
            Issue.record("a text for a vision-only model must fail")
        } catch {
            #expect(error.code == .invalidInput && error.subject == .input)
            #expect(error.message.contains("input 0") && error.message.contains("no text tower"), "\(error.message)")
        }
        let health = try await embedder.checkHealth()
        #expect(health.dimension == 16)
    }

    @Test func textOnlyFileRefusesImages() async throws {
        let embedder = try await CLIPFixtures.embedder(CLIPFixtures.tiny, onnxFile: "onnx/text_model.onnx")
        #expect(embedder.info.towers.map(\.tower) == [.text])
        let image = try CLIPFixtures.bytes(CLIPFixtures.images()[0])
        do {
            _ = try await embedder.embed([.text("a"), .image(image)])
            Issue.record("an image for a model without a vision tower must fail")
        } catch {
            #expect(error.message.contains("input 1") && error.message.contains("no vision tower"), "\(error.message)")
        }
    }

    @Test func quantizedTowersLoadAndStayClose() async throws {
        let embedder = try await CLIPFixtures.embedder(CLIPFixtures.tiny, variant: .quantized)
        #expect(embedder.info.towers.map { URL(fileURLWithPath: $0.path).lastPathComponent }
            == ["text_model_quantized.onnx", "vision_model_quantized.onnx"])
        #expect(embedder.info.towers.allSatisfy { $0.quantized })
        _ = try await Self.compareAll(embedder, minimum: Self.minimumQuantizedCosine, "int8")
    }

    @Test func truncationKeepsTheEndOfTextToken() async throws {
        let embedder = try await CLIPFixtures.embedder(CLIPFixtures.tiny)
        let long = try #require(try CLIPFixtures.texts().first { $0.length == 77 && $0.input_ids.last == 999 })
        let encoding = try embedder.encode(long.text)
        #expect(encoding.count == 77)
        #expect(encoding.ids == long.input_ids, "the same 77 ids as CLIPTokenizer(truncation=True), <|endoftext|> last")
    }

    @Test func mixedTextsAndImagesComeBackInOrder() async throws {
        let embedder = try await CLIPFixtures.embedder(CLIPFixtures.tiny, batchSize: 3)
        let texts = Array(try CLIPFixtures.texts().prefix(5))
        let images = Array(try CLIPFixtures.images().prefix(5))
        var inputs: [EmbeddingInput] = []
        var expected: [[Float]] = []
        for index in 0..<5 {
            inputs.append(.image(try CLIPFixtures.bytes(images[index])))
            expected.append(images[index].image_embeds)
            inputs.append(.text(texts[index].text))
            expected.append(texts[index].text_embeds)
        }
        for policy in BatchPolicy.allCases {
            let result = try await embedder.embed(inputs, policy: policy)
            try CLIPFixtures.expectClose(result.embeddings, expected, minimum: Self.minimumCosine, "mixed \(policy)")
            let batches = try #require(result.statistics?.batches)
            #expect(batches.allSatisfy { $0.size <= 3 }, "\(policy): the size cap holds: \(batches.map(\.size))")
            #expect(batches.reduce(0) { $0 + $1.size } == 10)
            #expect(result.tokenCounts.enumerated().allSatisfy { $0.offset % 2 == 1 || $0.element == 0 }, "images count no tokens")
        }
    }

    @Test func imagesAreBatchedUnderTheSizeCap() async throws {
        let embedder = try await CLIPFixtures.embedder(CLIPFixtures.tiny, batchSize: 4)
        let images = try CLIPFixtures.images()
        let result = try await embedder.embed(try images.map { .image(try CLIPFixtures.bytes($0)) })
        let sizes = try #require(result.statistics?.batches).map(\.size)
        #expect(sizes.sorted(by: >) == [4, 4, 4, 1], "13 images in batches of at most 4, got \(sizes)")
        try CLIPFixtures.expectClose(result.embeddings, images.map(\.image_embeds), minimum: Self.minimumCosine, "batched")
    }
}
