import EmbedCore
import EmbedEngine
import EmbedTestSupport
import Foundation
import Testing

/// Bad images are errors that name the input and the reason; limits hold before decoding.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct ImageInputTests {
    static func input(_ name: String) throws -> EmbeddingInput {
        .image(try Data(contentsOf: TestPaths.fixture("images/inputs/\(name)")))
    }

    static func good() throws -> EmbeddingInput {
        .image(try CLIPFixtures.bytes(try CLIPFixtures.images()[0]))
    }

    /// The error of embedding `[good, good, bad]` (the bad one is input 2).
    static func error(_ bad: EmbeddingInput, configuration: ImageInputConfiguration = .init()) async throws -> EmbedError? {
        let embedder = try await Embedder(
            .folder(CLIPFixtures.tiny), configuration: EmbedderConfiguration(images: configuration), logger: TestRuntime.logger)
        let inputs = [try good(), .text("a cat"), bad]
        do {
            _ = try await embedder.embed(inputs)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("bad-png-truncated.png", "ends before the image is complete"), ("bad-jpeg-truncated.jpg", "JPEG"), ("bad-gif.gif", "GIF"),
        ("bad-bmp.bmp", "BMP"), ("bad-text.txt", "not a JPEG, PNG or WebP"), ("bad-empty.bin", "empty"),
        ("bad-png-idat-data.png", "PNG"), ("bad-webp-truncated.webp", "WebP"),
    ])
    func badImagesNameTheInputAndTheReason(_ file: String, _ reason: String) async throws {
        let error = try #require(try await Self.error(try Self.input(file)), "\(file) must be refused")
        #expect(error.code == .invalidInput && error.subject == .input, "\(file): \(error)")
        #expect(error.message.hasPrefix("input 2: "), "\(file): \(error.message)")
        #expect(error.message.contains(reason), "\(file): \(error.message) should say \(reason)")
    }

    @Test func decompressionBombIsRefusedBeforeDecoding() async throws {
        // 8000 × 8000 declared in a tiny file: more than the default 40 megapixels.
        let error = try #require(try await Self.error(try Self.input("bad-png-bomb-pixels.png")))
        #expect(error.message.hasPrefix("input 2: ") && error.message.contains("8000×8000"), "\(error.message)")
        let small = try #require(try await Self.error(try Self.good(), configuration: .init(maxPixels: 100)))
        #expect(small.message.contains("more than the limit of 100"), "\(small.message)")
        // Over a limit, not malformed: the server answers 413 for these, 400 for bad files.
        #expect(error.code == .inputTooLarge && small.code == .inputTooLarge, "\(error.code), \(small.code)")
        let side = try #require(try await Self.error(try Self.input("bad-png-bomb-side.png")))
        #expect(side.code == .inputTooLarge && side.message.contains("maximum side"), "\(side.code): \(side.message)")
    }

    @Test func encodedSizeIsLimited() async throws {
        // Larger than the good image of input 0.
        let bytes = try Data(contentsOf: TestPaths.fixture("clip/images/rgb-64x48.png"))
        let error = try #require(try await Self.error(.image(bytes), configuration: .init(maxBytes: bytes.count - 1)))
        #expect(error.message == "input 2: the image is \(bytes.count) bytes, more than the limit of \(bytes.count - 1)")
        #expect(error.code == .inputTooLarge && error.subject == .input, "\(error.code)")
        #expect(try await Self.error(.image(bytes), configuration: .init(maxBytes: bytes.count)) == nil)
        #expect(ImageInputConfiguration().maxBytes == 10 * 1024 * 1024, "the default limit is 10 MB")
    }

    @Test func orientationIsAppliedByDefault() async throws {
        let image = try #require(try CLIPFixtures.images().first { $0.file.contains("exif") })
        let bytes = try CLIPFixtures.bytes(image)
        let stored = try await CLIPFixtures.embedder(CLIPFixtures.tiny).embed([.image(bytes)]).embeddings[0]
        let upright = try await Embedder(.folder(CLIPFixtures.tiny), logger: TestRuntime.logger).embed([.image(bytes)])
            .embeddings[0]
        // transformers ignores EXIF: its vector is of the image as stored (≥ 0.9999).
        #expect(try VectorMath.cosine(stored, image.image_embeds) >= 0.9999)
        #expect(try VectorMath.cosine(upright, image.image_embeds) < 0.9999, "rotated upright, the image gives another vector")
    }

    @Test func badLimitsAreRefused() async throws {
        await #expect(throws: EmbedError.self) {
            try await Embedder(
                .folder(CLIPFixtures.tiny), configuration: EmbedderConfiguration(images: .init(maxBytes: 0)),
                logger: TestRuntime.logger)
        }
    }
}
