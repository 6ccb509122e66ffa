import EmbedCore
import EmbedEngine
import EmbedTestSupport
import Foundation
import Testing

/// `embed similarity` over images and texts on the tiny CLIP, run as a child process.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct SimilarityCommandTests {
    let clip = TestPaths.fixture("clip/tiny").path
    let images = ["rgb-32x32.png", "photo-64x64.jpg"].map { TestPaths.fixture("clip/images/\($0)").path }

    struct Similarity: Decodable {
        struct Input: Decodable, Equatable {
            var kind: String
            var text: String?
            var path: String?
        }

        var inputs: [Input]
        var cosines: [[Float]]
    }

    @Test func similarityTakesImagesAndTextsInOneTable() async throws {
        // --image first, then the arguments: an existing .jpg is an image, the rest texts.
        let arguments = ["--image", images[0], images[1], "a photo of a cat", "a photo of a dog"]
        let json = try CommandRunner.run(["similarity", "--model", clip, "--format", "json"] + arguments)
        #expect(json.status == 0, "\(json.stderr)")
        let report = try JSONDecoder().decode(Similarity.self, from: Data(json.stdout.utf8))
        #expect(report.inputs == [
            .init(kind: "image", path: images[0]), .init(kind: "image", path: images[1]),
            .init(kind: "text", text: "a photo of a cat"), .init(kind: "text", text: "a photo of a dog"),
        ])
        let embedder = try await Embedder(.folder(TestPaths.fixture("clip/tiny")), logger: TestRuntime.logger)
        let inputs: [EmbeddingInput] = try images.prefix(2).map { .image(try Data(contentsOf: URL(fileURLWithPath: $0))) }
            + [.text("a photo of a cat"), .text("a photo of a dog")]
        let vectors = try await embedder.embed(inputs).embeddings
        let expected = try vectors.map { row in try vectors.map { try VectorMath.cosine(row, $0) } }
        #expect(report.cosines.count == 4 && report.cosines.allSatisfy { $0.count == 4 })
        let worst = zip(report.cosines, expected).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? .infinity
        #expect(worst <= 1e-6, "max cosine difference \(worst), tolerance 1e-6")

        // The table: file names and texts as row labels, the same cosines to 3 decimals.
        let table = try CommandRunner.run(["similarity", "--model", clip] + arguments)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("embed 2 images and 2 texts"), "\(table.stdout)")
        let rows = table.stdout.split(separator: "\n").filter { $0.hasPrefix("[") && $0.contains(" ") && !$0.contains("(image)") }
        let labels = ["[1] rgb-32x32.png", "[2] photo-64x64.jpg", "[3] a photo of a cat", "[4] a photo of a dog"]
        #expect(rows.count == 4 && zip(rows, labels).allSatisfy { $0.hasPrefix($1) }, "\(table.stdout)")
        for (row, values) in zip(rows, expected) {
            let printed = row.split(separator: " ").suffix(4).compactMap { Float(String($0)) }
            #expect(printed.count == 4 && zip(printed, values).allSatisfy { abs($0 - $1) <= 0.0005 + 1e-6 }, "\(row)")
        }
        // The folders are not in the row labels: the full paths are listed below the table.
        #expect(table.stdout.contains("[1] \(images[0]) (image)"), "\(table.stdout)")
    }

    @Test func similarityErrorsNameTheFileOrText() throws {
        let text = TestPaths.fixture("images/inputs/bad-text.txt").path
        let bad = try CommandRunner.run(["similarity", "--model", clip, "--image", text, "a cat"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("image file \(text): cannot use the image"), "\(bad.stderr)")
        let missing = try CommandRunner.run(["similarity", "--model", clip, "/nonexistent/cat.jpg", "a cat"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no image file /nonexistent/cat.jpg"), "\(missing.stderr)")
        let missingOption = try CommandRunner.run(["similarity", "--model", clip, "--image", "/nonexistent/cat.png", "a cat"])
        #expect(missingOption.stderr.contains("cannot read image file /nonexistent/cat.png"), "\(missingOption.stderr)")
        let textModel = try CommandRunner.run(["similarity", "--model", TestPaths.fixture("tiny-model").path, "a cat", images[1]])
        #expect(textModel.status != 0)
        #expect(textModel.stderr.contains("image file \(images[1]): "), "\(textModel.stderr)")
        #expect(textModel.stderr.contains("no vision tower"), "\(textModel.stderr)")
        let visionOnly = try CommandRunner.run(["similarity", "--model", TestPaths.fixture("clip/tiny-vision").path, images[0], "a cat"])
        #expect(visionOnly.status != 0)
        #expect(visionOnly.stderr.contains("text 2 \"a cat\": ") && visionOnly.stderr.contains("no text tower"), "\(visionOnly.stderr)")
        // --no-detect-images: every argument is a text, a path too (and a missing one).
        let literal = try CommandRunner.run(["similarity", "--model", clip, "--no-detect-images", "--format", "json", images[0], "x.jpg"])
        #expect(literal.status == 0, "\(literal.stderr)")
        let report = try JSONDecoder().decode(Similarity.self, from: Data(literal.stdout.utf8))
        #expect(report.inputs.map(\.kind) == ["text", "text"])
    }
}
