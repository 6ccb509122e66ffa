import EmbedEngine
import EmbedTestSupport
import FakeHub
import Foundation
import Testing

/// `embed pull` and `--model <id>` against a fake hub on loopback, in child processes.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct PullTests {
    let cache: URL

    init() throws {
        cache = try TestPaths.temporaryFolder()
    }

    func vectors(_ stdout: String) -> [[Float]] {
        stdout.split(separator: "\n").map { line in
            line.dropFirst().dropLast().split(separator: ",").compactMap { Float(String($0)) }
        }
    }

    func environment(_ hub: URL) -> [String: String] {
        ["HF_ENDPOINT": hub.absoluteString, "HF_HUB_CACHE": cache.path, "HF_TOKEN": "", "HF_HUB_OFFLINE": ""]
    }

    @Test func aCLIPRepositoryByIdEmbedsImagesAndTextsAsTheLocalFolder() async throws {
        let hub = FakeHub()
        hub.add(try FakeHubRepository(id: "test-org/tiny-clip", folder: TestPaths.fixture("clip/tiny")))
        let image = TestPaths.fixture("clip/images/photo-64x64.jpg").path
        let environment = environment
        let folder = TestPaths.fixture("clip/tiny").path
        let (pull, encode, local) = try await hub.run { url in
            let pull = try await CommandRunner.runAsync(["pull", "test-org/tiny-clip"], environment: environment(url))
            let encode = try await CommandRunner.runAsync(
                ["encode", "--model", "test-org/tiny-clip", "--image", image], environment: environment(url))
            let local = try await CommandRunner.runAsync(["encode", "--model", folder, "--image", image], environment: environment(url))
            return (pull, encode, local)
        }
        #expect(pull.status == 0, "\(pull.stderr)")
        #expect(pull.stdout.contains("files     7 downloaded"), "\(pull.stdout)")
        #expect(encode.status == 0 && local.status == 0, "\(encode.stderr) \(local.stderr)")
        let (fromHub, fromFolder) = (vectors(encode.stdout), vectors(local.stdout))
        #expect(fromHub.count == 1 && fromFolder.count == 1)
        // Not bit for bit: one of the two may load an optimised graph cached by an earlier run
        // (other fusions, last-bit differences). Tolerance 1e-5 per value; the files chosen
        // are checked exactly by ModelStoreCLIPTests.
        let worst = zip(fromHub.first ?? [], fromFolder.first ?? []).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-5, "the hub snapshot runs the same split towers: max difference \(worst)")
    }

    @Test func pullThenEncodeByIdMatchesTheLocalFolder() async throws {
        let hub = FakeHub()
        hub.add(try FakeHubRepository(id: "test-org/tiny-model", folder: TestPaths.fixture("tiny-model")))
        let environment = environment
        let (pull, again, encode) = try await hub.run { url in
            let pull = try await CommandRunner.runAsync(["pull", "test-org/tiny-model"], environment: environment(url))
            let again = try await CommandRunner.runAsync(["pull", "test-org/tiny-model"], environment: environment(url))
            let encode = try await CommandRunner.runAsync(
                ["encode", "--model", "test-org/tiny-model", "hello world", "the foo"], environment: environment(url))
            return (pull, again, encode)
        }
        #expect(pull.status == 0, "\(pull.stderr)")
        #expect(pull.stdout.contains("files     8 downloaded"), "\(pull.stdout)")
        #expect(pull.stdout.contains("folder    \(cache.path)/models--test-org--tiny-model/snapshots/"), "\(pull.stdout)")
        #expect(pull.stderr.contains("downloaded onnx/model.onnx"), "progress on stderr: \(pull.stderr)")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("0 downloaded (all in the cache)"), "\(again.stdout)")
        #expect(encode.status == 0, "\(encode.stderr)")

        let local = try await Embedder(.folder(TestPaths.fixture("tiny-model")), logger: TestRuntime.logger)
        #expect(vectors(encode.stdout) == (try await local.embed(["hello world", "the foo"])))

        // Offline, with the hub gone: the cache serves the model.
        let offline = try await CommandRunner.runAsync(
            ["encode", "--model", "test-org/tiny-model", "--offline", "hello world"],
            environment: ["HF_HUB_CACHE": cache.path, "HF_ENDPOINT": "http://127.0.0.1:9"])
        #expect(offline.status == 0, "\(offline.stderr)")
        #expect(vectors(offline.stdout).first == (try await local.embed(["hello world"])).first)
        let missing = try await CommandRunner.runAsync(
            ["encode", "--model", "test-org/other", "x"],
            environment: ["HF_HUB_CACHE": cache.path, "HF_HUB_OFFLINE": "1"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("not in the cache"), "\(missing.stderr)")
    }

    @Test func errorsAreClearAndExitNonZero() async throws {
        let hub = FakeHub()
        hub.add(try FakeHubRepository(id: "test-org/gated", folder: TestPaths.fixture("tiny-model"), requiredToken: "hf_ok"))
        let environment = environment
        let (gated, badID, unknown) = try await hub.run { url in
            (
                try await CommandRunner.runAsync(["pull", "test-org/gated"], environment: environment(url)),
                try await CommandRunner.runAsync(["pull", "../escape"], environment: environment(url)),
                try await CommandRunner.runAsync(["pull", "test-org/gated", "--variant", "int4"], environment: environment(url))
            )
        }
        #expect(gated.status != 0)
        #expect(gated.stderr.contains("HTTP 401") && gated.stderr.contains("HF_TOKEN"), "\(gated.stderr)")
        #expect(badID.status != 0)
        #expect(badID.stderr.contains("invalid model id '../escape'"), "\(badID.stderr)")
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("for onnx.variant (from --variant): expected one of auto, fp32, quantized, fp16"), "\(unknown.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cache.appendingPathComponent("models--test-org--gated/refs/main").path))
    }

    @Test func twoProcessesPullingTheSameModelDownloadEachFileOnce() async throws {
        let hub = FakeHub()
        var repository = try FakeHubRepository(id: "test-org/big", folder: TestPaths.fixture("tiny-model"))
        // A 3 MB "model" sent slowly, so that the two pulls overlap.
        let big = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        repository.files["onnx/model.onnx"] = FakeHubRepository.file("onnx/model.onnx", contents: big)
        hub.add(repository)
        hub.chunkDelay = .milliseconds(15)
        let environment = environment
        let results = try await hub.run { url in
            try await withThrowingTaskGroup(of: CommandRunner.Output.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await CommandRunner.runAsync(["pull", "test-org/big", "--log-level", "notice"], environment: environment(url))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        // They did overlap: one of them waited for the other's lock.
        #expect(results.contains { $0.stderr.contains("waiting for another process downloading test-org/big/") }, "\(results.map(\.stderr))")
        let counts = Dictionary(hub.downloads.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts.values.allSatisfy { $0 == 1 }, "each file downloaded once: \(counts)")
        #expect(counts["onnx/model.onnx"] == 1)
        let folder = cache.appendingPathComponent("models--test-org--big")
        let blobs = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("blobs").path)
        #expect(!blobs.contains { $0.hasSuffix(".incomplete") })
        let commit = try String(contentsOf: folder.appendingPathComponent("refs/main"), encoding: .utf8)
        #expect(try Data(contentsOf: folder.appendingPathComponent("snapshots/\(commit)/onnx/model.onnx")) == big)
    }

    @Test(.enabled(if: TestRuntime.isRealModelAvailable, "needs the real model: run `make setup`"))
    func theRealModelPulledFromTheHubEmbedsLikeTheLocalFolder() async throws {
        let hub = FakeHub()
        hub.add(try FakeHubRepository(id: "sentence-transformers/all-MiniLM-L6-v2", folder: TestRuntime.realModelFolder))
        let environment = environment
        let texts = ["A man is eating food.", "Stock markets fell sharply on Monday."]
        let (pull, quantized, encode) = try await hub.run { url in
            (
                try await CommandRunner.runAsync(["pull", "sentence-transformers/all-MiniLM-L6-v2"], environment: environment(url)),
                try await CommandRunner.runAsync(
                    ["pull", "sentence-transformers/all-MiniLM-L6-v2", "--variant", "quantized"], environment: environment(url)),
                try await CommandRunner.runAsync(
                    ["encode", "--model", "sentence-transformers/all-MiniLM-L6-v2"] + texts, environment: environment(url))
            )
        }
        #expect(pull.status == 0, "\(pull.stderr)")
        #expect(quantized.status == 0, "\(quantized.stderr)")
        #expect(quantized.stdout.contains("onnx      onnx/model_quantized.onnx"), "\(quantized.stdout)")
        #expect(quantized.stdout.contains("files     1 downloaded"), "only the quantized file is new: \(quantized.stdout)")
        #expect(encode.status == 0, "\(encode.stderr)")
        // Only what an embedding needs: no weights, no README, no vocab.txt.
        for skipped in ["model.safetensors", "README.md", "vocab.txt", "data_config.json"] {
            #expect(!hub.downloads.contains(skipped), "\(skipped) was downloaded")
        }
        let local = try await Embedder(.folder(TestRuntime.realModelFolder), logger: TestRuntime.logger)
        let expected = try await local.embed(texts)
        #expect(vectors(encode.stdout) == expected, "bit-identical to the local folder's vectors")
    }
}
