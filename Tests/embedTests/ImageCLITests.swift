import EmbedTestSupport
import Foundation
import Testing

/// `embed bench --images` and `embed encode --images-from` on the tiny CLIP, run as a child process.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct ImageCLITests {
    let clip = TestPaths.fixture("clip/tiny").path
    let images = ["rgb-32x32.png", "photo-64x64.jpg", "rgba-48x40.png"].map { TestPaths.fixture("clip/images/\($0)").path }

    @Test func benchImagesReportsThroughputAndLatency() throws {
        let folder = TestPaths.fixture("clip/images").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { [".png", ".jpg"].contains(where: $0.hasSuffix) }
        let run = try CommandRunner.run(
            ["bench", "--model", clip, "--images", folder, "--batch-sizes", "1,4", "--latency-runs", "5", "--warmup", "0"])
        #expect(run.status == 0, "\(run.stderr)")
        for field in ["images: \(files.count) files under \(folder)", "images/s", "decode/model/pool", "single image latency (ms, 5 runs): p50", "peak memory"] {
            #expect(run.stdout.contains(field), "\(field) in \(run.stdout)")
        }
        let json = try CommandRunner.run(
            ["bench", "--model", clip, "--images", folder, "--limit", "3", "--batch-sizes", "2", "--latency-runs", "2", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        struct Report: Decodable {
            struct Run: Decodable { var batchSize: Int, images: Int, imagesPerSecond: Double, decodeSeconds: Double?, inferenceSeconds: Double? }
            struct Stats: Decodable { var count: Int, p50: Double }
            var images: Int
            var runs: [Run]
            var latency: Stats?
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(json.stdout.utf8))
        #expect(report.images == 3 && report.runs.map(\.batchSize) == [2] && report.runs.allSatisfy { $0.images == 3 })
        #expect(report.runs.allSatisfy { $0.imagesPerSecond > 0 && $0.decodeSeconds != nil && $0.inferenceSeconds != nil })
        #expect(report.latency?.count == 2)
        let none = try CommandRunner.run(["bench", "--model", clip, "--images", "/nonexistent/photos"])
        #expect(none.status != 0 && none.stderr.contains("--images /nonexistent/photos: no such folder"), "\(none.stderr)")
    }

    @Test func imagesFromEqualsInputWithImages() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let list = folder.appendingPathComponent("images.txt")
        try (images.joined(separator: "\n") + "\n").write(to: list, atomically: true, encoding: .utf8)
        let listed = try CommandRunner.run(["encode", "--model", clip, "--input", list.path, "--images"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.split(separator: "\n").count == 3)
        let from = try CommandRunner.run(["encode", "--model", clip, "--images-from", list.path])
        #expect(from.status == 0, "\(from.stderr)")
        #expect(from.stdout == listed.stdout)
        let stdin = try CommandRunner.run(["encode", "--model", clip, "--images-from", "-"], input: images.joined(separator: "\n") + "\n")
        #expect(stdin.stdout == listed.stdout, "\(stdin.stderr)")
        let mixed = try CommandRunner.run(["encode", "--model", clip, "--images-from", list.path, "a cat"])
        #expect(mixed.status != 0 && mixed.stderr.contains("--images-from reads image paths"), "\(mixed.stderr)")
        try (images[0] + "\n/nonexistent/cat.png\n").write(to: list, atomically: true, encoding: .utf8)
        let missing = try CommandRunner.run(["encode", "--model", clip, "--images-from", list.path])
        #expect(missing.status != 0 && missing.stderr.contains("cannot read image file /nonexistent/cat.png"), "\(missing.stderr)")
    }
}
