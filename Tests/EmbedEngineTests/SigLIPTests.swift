import EmbedCore
import EmbedEngine
import EmbedTestSupport
import EmbedTokenizers
import Foundation
import Testing

/// The tiny SigLIP of `scripts/make_siglip_models.py` (Tests/Fixtures/siglip: random weights,
/// the real architecture, split towers) against PyTorch's `get_text_features` and
/// `get_image_features` of the same weights: every vector ≥ 0.9999 cosine, ids equal to
/// `tokenizer.json` with `padding="max_length", max_length=64, truncation=True`.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct SigLIPTests {
    struct Text: Decodable {
        var text: String
        var input_ids: [Int]
        var text_embeds: [Float]
    }

    struct Image: Decodable {
        var file: String
        var image_embeds: [Float]
    }

    private struct Texts: Decodable { var texts: [Text] }
    private struct Images: Decodable { var images: [Image] }

    static let minimumCosine: Float = 0.9999
    static let tiny = TestPaths.fixture("siglip/tiny")

    static func texts() throws -> [Text] {
        try JSONDecoder().decode(Texts.self, from: Data(contentsOf: TestPaths.fixture("siglip/reference/texts.json"))).texts
    }

    static func images() throws -> [Image] {
        try JSONDecoder().decode(Images.self, from: Data(contentsOf: TestPaths.fixture("siglip/reference/images.json"))).images
    }

    static func bytes(_ image: Image) throws -> Data { try Data(contentsOf: TestPaths.fixture("siglip/\(image.file)")) }

    /// transformers' processor does not apply EXIF orientation: turned off, as for CLIP.
    static func embedder(_ folder: URL = tiny, batchSize: Int = 32) async throws -> Embedder {
        let configuration = EmbedderConfiguration(
            batching: BatchingConfiguration(maxBatchSize: batchSize), images: ImageInputConfiguration(appliesOrientation: false))
        return try await Embedder(.folder(folder), configuration: configuration, logger: TestRuntime.logger)
    }

    @Test func splitTowersMatchPyTorch() async throws {
        let embedder = try await Self.embedder()
        let info = embedder.info
        #expect(info.family == "siglip")
        #expect(info.towers.map(\.tower) == [.text, .vision])
        #expect(info.towers.map(\.inputs) == [["input_ids"], ["pixel_values"]], "input_ids only: no attention mask")
        #expect(info.towers.map(\.output) == ["text_embeds", "image_embeds"])
        #expect(info.dimension == 32 && info.maxLength.value == 64 && info.normalize)
        let texts = try Self.texts()
        let text = try await embedder.embed(texts.map(\.text))
        let textCosine = try CLIPFixtures.expectClose(text, texts.map(\.text_embeds), minimum: Self.minimumCosine, "SigLIP text")
        let images = try Self.images()
        let result = try await embedder.embed(try images.map { .image(try Self.bytes($0)) })
        let imageCosine = try CLIPFixtures.expectClose(
            result.embeddings, images.map(\.image_embeds), minimum: Self.minimumCosine, "SigLIP image")
        for vector in text + result.embeddings {
            #expect(abs(VectorMath.norm(vector) - 1) <= 1e-5, "SigLIP vectors are normalised (tolerance 1e-5)")
        }
        print("SigLIP split: min cosine text \(textCosine), image \(imageCosine) (\(texts.count) texts, \(images.count) images)")
    }

    /// The tokenizer's ids, padded as the engine pads them (to 64 with `</s>`, id 1), are the
    /// reference's; the text of 80 words is cut to 64 with `</s>` last.
    @Test func idsArePaddedTo64WithThePadToken() async throws {
        let embedder = try await Self.embedder()
        for text in try Self.texts() {
            let ids = try embedder.encode(text.text).ids
            #expect(ids.count <= 64 && ids.last == 1, "\(text.text.debugDescription): ends with </s>")
            #expect(ids + [Int](repeating: 1, count: 64 - ids.count) == text.input_ids, "\(text.text.debugDescription)")
        }
        let long = try #require(try Self.texts().first { $0.text.hasPrefix("word word") })
        #expect(try embedder.encode(long.text).count == 64)
    }

    /// Mixed and split batches pad every row to 64 whatever the batch's longest: the vectors
    /// do not depend on the batching.
    @Test func batchingDoesNotChangeVectors() async throws {
        let embedder = try await Self.embedder(batchSize: 3)
        let texts = try Self.texts()
        let images = try Self.images()
        var inputs: [EmbeddingInput] = []
        var expected: [[Float]] = []
        for index in 0..<5 {
            inputs += [.text(texts[index].text), .image(try Self.bytes(images[index]))]
            expected += [texts[index].text_embeds, images[index].image_embeds]
        }
        for policy in BatchPolicy.allCases {
            let result = try await embedder.embed(inputs, policy: policy)
            try CLIPFixtures.expectClose(result.embeddings, expected, minimum: Self.minimumCosine, "mixed \(policy)")
        }
    }

    /// A copy of the tiny folder, changed by `edit`, for the error tests.
    static func editedCopy(_ edit: (URL) throws -> Void) throws -> URL {
        let folder = try TestPaths.temporaryFolder().appendingPathComponent("siglip")
        try FileManager.default.copyItem(at: tiny, to: folder)
        try edit(folder)
        return folder
    }

    static func expectLoadError(_ folder: URL, containing parts: [String]) async {
        do {
            _ = try await embedder(folder)
            Issue.record("loading \(folder.lastPathComponent) must fail")
        } catch let error as EmbedError {
            #expect(parts.allSatisfy { error.message.contains($0) }, "\(error.message)")
        } catch {
            Issue.record("not an EmbedError: \(error)")
        }
    }

    @Test func unknownPreprocessorKeyIsNamed() async throws {
        let folder = try Self.editedCopy { folder in
            let url = folder.appendingPathComponent("preprocessor_config.json")
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            object["do_crop_margin"] = true
            try JSONSerialization.data(withJSONObject: object).write(to: url)
        }
        await Self.expectLoadError(folder, containing: ["preprocessor_config.json", "unknown key \"do_crop_margin\""])
    }

    @Test func missingTowersAreNamed() async throws {
        let noFiles = try Self.editedCopy { try FileManager.default.removeItem(at: $0.appendingPathComponent("onnx")) }
        await Self.expectLoadError(noFiles, containing: ["SigLIP model", "onnx/text_model.onnx + onnx/vision_model.onnx"])
        let noPreprocessor = try Self.editedCopy {
            try FileManager.default.removeItem(at: $0.appendingPathComponent("preprocessor_config.json"))
        }
        await Self.expectLoadError(noPreprocessor, containing: ["vision tower", "no preprocessor_config.json"])
    }

    /// Google's config.json files leave `text_config.max_position_embeddings` out (it is
    /// SiglipTextConfig's default, 64): the folder still loads with 64, and a maximum length
    /// above it is refused at load.
    @Test func positionsDefaultTo64() async throws {
        let folder = try Self.editedCopy { folder in
            let url = folder.appendingPathComponent("config.json")
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            var text = try #require(object["text_config"] as? [String: Any])
            text.removeValue(forKey: "max_position_embeddings")
            object["text_config"] = text
            try JSONSerialization.data(withJSONObject: object).write(to: url)
        }
        let embedder = try await Self.embedder(folder)
        #expect(embedder.info.maxLength.value == 64)
        let first = try #require(try Self.texts().first)
        try CLIPFixtures.expectClose(
            try await embedder.embed([first.text]), [first.text_embeds], minimum: Self.minimumCosine, "default positions")
        var configuration = EmbedderConfiguration()
        configuration.maxLength = 100
        do {
            _ = try await Embedder(.folder(folder), configuration: configuration, logger: TestRuntime.logger)
            Issue.record("a maximum length of 100 on 64 positions must fail")
        } catch {
            #expect(error.message.contains("100") && error.message.contains("64 positions"), "\(error.message)")
        }
    }

    @Test func unknownPadTokenIsNamed() async throws {
        let folder = try Self.editedCopy { folder in
            let url = folder.appendingPathComponent("tokenizer_config.json")
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            object["pad_token"] = ["content": "<nope>", "special": true]
            try JSONSerialization.data(withJSONObject: object).write(to: url)
        }
        await Self.expectLoadError(folder, containing: ["tokenizer_config.json pad_token \"<nope>\"", "tokenizer.json"])
    }
}
