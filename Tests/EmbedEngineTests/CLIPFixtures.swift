import EmbedCore
import EmbedEngine
import EmbedHub
import EmbedTestSupport
import Foundation
import Testing

/// The tiny CLIP of `scripts/make_clip_models.py` (Tests/Fixtures/clip): its folders and the
/// PyTorch reference vectors (`get_text_features`, `get_image_features`).
enum CLIPFixtures {
    struct Text: Decodable {
        var text: String
        var length: Int
        var input_ids: [Int]
        var text_embeds: [Float]
    }

    struct Image: Decodable {
        var file: String
        var mode: String
        var image_embeds: [Float]
    }

    private struct Texts: Decodable { var texts: [Text] }
    private struct Images: Decodable { var images: [Image] }

    /// Split towers and a joint model.onnx (`tiny/onnx/`).
    static let tiny = TestPaths.fixture("clip/tiny")
    /// A vision tower alone (`model.onnx` at the root, no tokenizer).
    static let visionOnly = TestPaths.fixture("clip/tiny-vision")

    static func texts() throws -> [Text] {
        try JSONDecoder().decode(Texts.self, from: Data(contentsOf: TestPaths.fixture("clip/reference/texts.json"))).texts
    }

    static func images() throws -> [Image] {
        try JSONDecoder().decode(Images.self, from: Data(contentsOf: TestPaths.fixture("clip/reference/images.json"))).images
    }

    static func bytes(_ image: Image) throws -> Data {
        try Data(contentsOf: TestPaths.fixture("clip/\(image.file)"))
    }

    /// transformers' processor does not apply EXIF orientation: the references are of the
    /// images as stored, so the tests turn it off.
    static func embedder(
        _ folder: URL, onnxFile: String? = nil, variant: ONNXVariantChoice = .fp32, batchSize: Int = 32
    ) async throws -> Embedder {
        var configuration = EmbedderConfiguration(
            batching: BatchingConfiguration(maxBatchSize: batchSize), onnxFile: onnxFile,
            images: ImageInputConfiguration(appliesOrientation: false))
        if variant == .quantized { configuration.variant = .quantized }
        return try await Embedder(.folder(folder), configuration: configuration, logger: TestRuntime.logger)
    }

    enum ONNXVariantChoice { case fp32, quantized }

    /// Every cosine of `vectors` against `expected` at least `minimum`; returns the smallest.
    @discardableResult
    static func expectClose(
        _ vectors: [[Float]], _ expected: [[Float]], minimum: Float, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Float {
        try #require(vectors.count == expected.count, "\(what): \(vectors.count) vectors for \(expected.count) references")
        var smallest: Float = 1
        for (index, (vector, reference)) in zip(vectors, expected).enumerated() {
            #expect(vector.count == reference.count, "\(what) \(index): dimension", sourceLocation: sourceLocation)
            let cosine = try VectorMath.cosine(vector, reference)
            smallest = min(smallest, cosine)
            #expect(cosine >= minimum, "\(what) \(index): cosine \(cosine), need ≥ \(minimum)", sourceLocation: sourceLocation)
        }
        return smallest
    }
}
