import EmbedEngine
import EmbedTestSupport
import Foundation
import Testing

/// `embed encode --image` / `--images` and `embed inspect` on the tiny CLIP, run as a child process.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct ImageCommandTests {
    let clip = TestPaths.fixture("clip/tiny").path
    let images = ["rgb-32x32.png", "photo-64x64.jpg", "rgba-48x40.png"].map { TestPaths.fixture("clip/images/\($0)").path }

    func vectors(_ stdout: String) -> [[Float]] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            line.dropFirst().dropLast().split(separator: ",").compactMap { Float(String($0)) }
        }
    }

    @Test func encodeImagesPrintsTheLibrarysVectorsInOrder() async throws {
        let run = try CommandRunner.run(["encode", "--model", clip] + images.flatMap { ["--image", $0] })
        #expect(run.status == 0, "\(run.stderr)")
        let printed = vectors(run.stdout)
        #expect(printed.count == 3)
        let embedder = try await Embedder(.folder(TestPaths.fixture("clip/tiny")), logger: TestRuntime.logger)
        let direct = try await embedder.embed(try images.map { .image(try Data(contentsOf: URL(fileURLWithPath: $0))) })
        // Within 1e-5 of the library's: the command keeps ONNX Runtime's optimised graph
        // (onnx.optimized_cache), and a run that saved it gave floats up to 5e-7 apart.
        expectClose(printed, direct.embeddings, "--image")
        let listed = try CommandRunner.run(["encode", "--model", clip, "--images"], input: images.joined(separator: "\n") + "\n")
        #expect(listed.status == 0, "\(listed.stderr)")
        expectClose(vectors(listed.stdout), direct.embeddings, "--images")
    }

    func expectClose(_ actual: [[Float]], _ expected: [[Float]], _ what: String) {
        #expect(actual.count == expected.count && zip(actual, expected).allSatisfy { $0.count == $1.count }, "\(what): shapes")
        let worst = zip(actual, expected).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? .infinity
        #expect(worst <= 1e-5, "\(what): max abs difference \(worst), tolerance 1e-5")
    }

    @Test func badImagesAndMissingTowersFailNamingTheInput() throws {
        let text = TestPaths.fixture("images/inputs/bad-text.txt").path
        let bad = try CommandRunner.run(["encode", "--model", clip, "--image", images[0], "--image", text])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("image file \(text): cannot use the image"), "\(bad.stderr)")
        let missing = try CommandRunner.run(["encode", "--model", clip, "--image", "/nonexistent/cat.png"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read image file /nonexistent/cat.png"), "\(missing.stderr)")
        let visionOnly = try CommandRunner.run(["encode", "--model", TestPaths.fixture("clip/tiny-vision").path, "a cat"])
        #expect(visionOnly.status != 0)
        #expect(visionOnly.stderr.contains("no text tower"), "\(visionOnly.stderr)")
        let limited = try CommandRunner.run(["encode", "--model", clip, "--set", "images.max_bytes=100", "--image", images[0]])
        #expect(limited.status != 0)
        #expect(limited.stderr.contains("image file \(images[0]) is 2648 bytes, more than the limit of 100"), "\(limited.stderr)")
        let bomb = try CommandRunner.run(["encode", "--model", clip, "--set", "images.max_pixels=1000", "--image", images[0]])
        #expect(bomb.stderr.contains("32×32 pixels, more than the limit of 1000"), "\(bomb.stderr)")
        let both = try CommandRunner.run(["encode", "--model", clip, "--image", images[0], "a cat"])
        #expect(both.status != 0)
        #expect(both.stderr.contains("not both"), "\(both.stderr)")
    }

    @Test func inspectShowsTheTowers() throws {
        let run = try CommandRunner.run(["inspect", "--model", clip])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("tower text") && run.stdout.contains("text_model.onnx (input_ids, attention_mask → text_embeds)"), "\(run.stdout)")
        #expect(run.stdout.contains("tower vision") && run.stdout.contains("vision_model.onnx (pixel_values → image_embeds)"))
        let joint = try CommandRunner.run(["inspect", "--model", clip, "--onnx-file", "onnx/model.onnx", "--json"])
        #expect(joint.status == 0, "\(joint.stderr)")
        #expect(joint.stdout.contains("\"joint\" : true"), "\(joint.stdout)")
    }
}
