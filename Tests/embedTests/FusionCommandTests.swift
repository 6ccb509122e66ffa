import EmbedEngine
import EmbedTestSupport
import Foundation
import Testing

/// `embed encode --fuse` on the tiny CLIP, run as a child process: pairs from `--image` with
/// text arguments and from `--jsonl` lines give `Fusion.fuse` of the library's vectors; wrong
/// combinations and bad lines fail naming the flag, line or file.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct FusionCommandTests {
    let clip = TestPaths.fixture("clip/tiny").path
    let images = ["rgb-32x32.png", "photo-64x64.jpg"].map { TestPaths.fixture("clip/images/\($0)").path }
    let texts = ["a photo of a cat", "a dog"]

    /// `Embedder.embedFused` on the same pairs in this process.
    func expected(_ mode: Fusion.Mode, weight: Float = 0.5) async throws -> [[Float]] {
        let embedder = try await Embedder(.folder(TestPaths.fixture("clip/tiny")), logger: TestRuntime.logger)
        let fusion = try Fusion(mode: mode, dimension: embedder.info.dimension, weight: weight)
        let pairs = try zip(texts, images).map { text, path in (text: text, image: try Data(contentsOf: URL(fileURLWithPath: path))) }
        return try await embedder.embedFused(pairs, fusion: fusion)
    }

    func vectors(_ stdout: String) -> [[Float]] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            line.dropFirst().dropLast().split(separator: ",").compactMap { Float(String($0)) }
        }
    }

    func expectClose(_ actual: [[Float]], _ expected: [[Float]], _ what: String) {
        #expect(actual.count == expected.count && zip(actual, expected).allSatisfy { $0.count == $1.count }, "\(what): shapes")
        let worst = zip(actual, expected).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? .infinity
        // 1e-6: the child process may run ONNX Runtime's saved optimised graph, whose floats
        // were seen up to 5e-7 from the library's (ImageCommandTests).
        #expect(worst <= 1e-6, "\(what): max abs difference \(worst), tolerance 1e-6")
    }

    @Test func imagesWithTextArgumentsArePairs() async throws {
        let run = try CommandRunner.run(
            ["encode", "--model", clip, "--fuse", "mean", "--image", images[0], texts[0], "--image", images[1], texts[1]])
        #expect(run.status == 0, "\(run.stderr)")
        expectClose(vectors(run.stdout), try await expected(.average), "--fuse mean --image")
        let weighted = try CommandRunner.run(
            ["encode", "--model", clip, "--fuse", "mean", "--fusion-weight", "0.2", "--image", images[0], texts[0], "--image", images[1], texts[1]])
        #expect(weighted.status == 0, "\(weighted.stderr)")
        expectClose(vectors(weighted.stdout), try await expected(.average, weight: 0.2), "--fuse mean --fusion-weight 0.2")
    }

    @Test func jsonlLinesArePairs() async throws {
        let lines = try zip(texts, images).map { text, path in
            String(decoding: try JSONSerialization.data(withJSONObject: ["text": text, "image": path]), as: UTF8.self)
        }
        let run = try CommandRunner.run(
            ["encode", "--model", clip, "--fuse", "concat", "--jsonl"], input: lines.joined(separator: "\n") + "\n")
        #expect(run.status == 0, "\(run.stderr)")
        let printed = vectors(run.stdout)
        #expect(printed.map(\.count) == [32, 32], "concat: 2 × 16 values")
        expectClose(printed, try await expected(.concatenate), "--fuse concat --jsonl")
    }

    @Test func wrongCombinationsAndBadLinesFailNamingThem() throws {
        func fails(_ arguments: [String], input: String = "", _ words: String) throws {
            let run = try CommandRunner.run(["encode", "--model", clip] + arguments, input: input)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.stderr.contains(words), "\(arguments): \(run.stderr)")
        }
        try fails(["--fuse", "mean", "--image", images[0]], "got 1 images and 0 texts")
        try fails(["--fuse", "mean", "a cat"], "--fuse needs pairs")
        try fails(["--fuse", "mean", "--images"], "not --images")
        try fails(["--fuse", "sum", "--jsonl"], "sum")
        try fails(["--fusion-projection", "p.safetensors", "a cat"], "need --fuse")
        try fails(["--fuse", "mean", "--fusion-weight", "1.5", "--image", images[0], "a"], "between 0 and 1")
        try fails(["--fuse", "concat", "--fusion-weight", "0.5", "--image", images[0], "a"], "applies to --fuse mean")
        try fails(["--fuse", "mean", "--jsonl"], input: "{\"text\": \"a\", \"image\": \"\(images[0])\", \"x\": 1}\n", "line 1: unknown field 'x'")
        try fails(["--fuse", "mean", "--jsonl"], input: "{\"text\": \"a\"}\n", "line 1: no \"image\" field")
        try fails(["--fuse", "mean", "--jsonl"], input: "[1]\n", "line 1: must be a JSON object")
        try fails(["--fuse", "mean", "--image", "/nonexistent/cat.png", "a cat"], "cannot read image file /nonexistent/cat.png")
        let text = TestPaths.fixture("images/inputs/bad-text.txt").path
        try fails(
            ["--fuse", "mean", "--image", images[0], "a", "--image", text, "b"], "pair 2, image file \(text): cannot use the image")
        try fails(["--fuse", "mean", "--fusion-projection", "/nonexistent/p.safetensors", "--image", images[0], "a"], "p.safetensors")
    }
}
