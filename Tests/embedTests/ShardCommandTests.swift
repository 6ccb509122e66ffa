import EmbedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `embed encode --output-dir --shard` and `embed merge`, through the built executable, on
/// the hashing engine (no model, no ONNX Runtime; the same vectors on every run).
struct ShardCommandTests {
    static let engine = ["--engine", "hashing", "--set", "hashing.dimension=16"]

    /// 300 lines: blank lines, repeated and non-ASCII texts, no final newline.
    static let corpus: String = (1...300).map { number in
        number % 17 == 0 ? "" : "text \(number) about \(["cats", "the sea", "Zürich", "日本", "stock markets"][number % 5]) \(number * 7919 % 1000)"
    }.joined(separator: "\n")

    func input(in folder: TestFolder, _ text: String = Self.corpus) throws -> String {
        let path = folder.path("texts.txt")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func encode(_ input: String, _ extra: [String]) throws -> CommandRunner.Output {
        try CommandRunner.run(["encode"] + Self.engine + ["--input", input] + extra)
    }

    /// The three shards as three processes at once; shard 1 pauses after each part and is
    /// killed with SIGKILL once its first part is on disk; its rerun keeps that part, and the
    /// merge equals one unsharded run byte for byte.
    @Test func killedShardResumesAndMergeEqualsOneRun() throws {
        let folder = try TestFolder()
        let input = try input(in: folder)
        let single = try encode(input, [])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(single.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == 301)
        #expect(single.stderr.contains("embedded 300 texts in"), "\(single.stderr)")
        #expect(!single.stdout.contains("embedded"))

        let out = folder.path("out")
        let arguments = { (shard: Int) in ["encode"] + Self.engine + ["--input", input, "--output-dir", out, "--shard", "\(shard)/3", "--part-size", "10"] }
        let slow = try ChildProcess(arguments(1), environment: ["EMBED_TEST_PAUSE_AFTER_PART_MS": "1000"])
        let others = try [0, 2].map { try ChildProcess(arguments($0)) }
        // The first part is done once the manifest (renamed into place after it) lists it.
        let firstPart = URL(fileURLWithPath: out).appendingPathComponent("shard-00001-of-00003.part-00000.jsonl")
        let manifest = URL(fileURLWithPath: out).appendingPathComponent("shard-00001-of-00003.manifest.json")
        let deadline = Date().addingTimeInterval(120)
        while !((try? String(contentsOf: manifest, encoding: .utf8))?.contains(firstPart.lastPathComponent) ?? false),
            slow.process.isRunning, Date() < deadline
        {
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(slow.process.processIdentifier, SIGKILL)
        slow.process.waitUntilExit()
        #expect(slow.process.terminationReason == .uncaughtSignal, "shard 1 was killed, not finished: \(slow.stderr)")
        #expect(FileManager.default.fileExists(atPath: firstPart.path))
        let lastPart = URL(fileURLWithPath: out).appendingPathComponent("shard-00001-of-00003.part-00009.jsonl")
        #expect(!FileManager.default.fileExists(atPath: lastPart.path), "killed mid-way")
        for other in others {
            other.process.waitUntilExit()
            #expect(other.process.terminationStatus == 0, "\(other.stderr)")
            #expect(other.stderr.contains("embedded 100 texts"), "\(other.stderr)")
        }

        let early = try CommandRunner.run(["merge", out])
        #expect(early.status != 0)
        #expect(early.stderr.contains("shard 1/3 is incomplete"), "\(early.stderr)")

        let rerun = try CommandRunner.run(arguments(1))
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("1 of 10 parts kept"), "\(rerun.stderr)")
        #expect(rerun.stderr.contains("embedded 90 texts"), "\(rerun.stderr)")
        #expect(try !FileManager.default.contentsOfDirectory(atPath: out).contains { $0.hasSuffix(".partial") })

        let merged = try CommandRunner.run(["merge", out])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == single.stdout)
        #expect(merged.stderr.contains("merged 3 shards, 30 parts, 300 lines"), "\(merged.stderr)")
        let file = folder.path("merged.jsonl")
        #expect(try CommandRunner.run(["merge", out, "--output", file]).status == 0)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == single.stdout)
    }

    /// A part changed on disk: merge names it; a rerun says so and recomputes it alone.
    @Test func corruptOrMissingPartIsDetectedAndRecomputed() throws {
        let folder = try TestFolder()
        let input = try input(in: folder)
        let out = folder.path("out")
        let first = try encode(input, ["--output-dir", out, "--part-size", "50"])
        #expect(first.status == 0, "\(first.stderr)")
        let part = out + "/shard-00000-of-00001.part-00002.jsonl"
        let good = try String(contentsOfFile: part, encoding: .utf8)
        let bad = good.replacingOccurrences(of: "0.", with: "1.", options: [], range: good.range(of: "0."))
        #expect(bad != good)
        try bad.write(toFile: part, atomically: true, encoding: .utf8)

        let merge = try CommandRunner.run(["merge", out])
        #expect(merge.status != 0)
        #expect(merge.stdout.isEmpty)
        #expect(merge.stderr.contains("corrupt part shard-00000-of-00001.part-00002.jsonl (lines 101–150)"), "\(merge.stderr)")

        try FileManager.default.removeItem(atPath: out + "/shard-00000-of-00001.part-00004.jsonl")
        let missing = try CommandRunner.run(["merge", out])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("missing part shard-00000-of-00001.part-00004.jsonl (lines 201–250)"), "\(missing.stderr)")

        let rerun = try encode(input, ["--output-dir", out, "--part-size", "50"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("recomputing shard-00000-of-00001.part-00002.jsonl (lines 101–150): shard-00000-of-00001.part-00002.jsonl has SHA-256"), "\(rerun.stderr)")
        #expect(rerun.stderr.contains("recomputing shard-00000-of-00001.part-00004.jsonl (lines 201–250): shard-00000-of-00001.part-00004.jsonl is missing"), "\(rerun.stderr)")
        #expect(rerun.stderr.contains("embedded 100 texts"), "only the two bad parts: \(rerun.stderr)")
        #expect(try String(contentsOfFile: part, encoding: .utf8) == good)
        let merged = try CommandRunner.run(["merge", out])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == (try encode(input, [])).stdout)
    }

    /// Another option or another input: refused, naming what differs; --force recomputes.
    @Test func changedOptionsOrInputAreRefused() throws {
        let folder = try TestFolder()
        let input = try input(in: folder)
        let out = folder.path("out")
        let shard = ["--output-dir", out, "--shard", "0/2", "--part-size", "40"]
        #expect(try encode(input, shard).status == 0)

        let dimension = try CommandRunner.run(["encode", "--engine", "hashing", "--set", "hashing.dimension=8", "--input", input] + shard)
        #expect(dimension.status != 0)
        #expect(dimension.stderr.contains("fingerprint.dimension: 16 → 8"), "\(dimension.stderr)")
        #expect(dimension.stderr.contains("--force"), "\(dimension.stderr)")
        let jsonl = try encode(input, shard + ["--format", "npy"])
        #expect(jsonl.status != 0)
        #expect(jsonl.stderr.contains(#"output.format: "jsonl" → "npy""#), "\(jsonl.stderr)")

        let otherCount = try encode(input, ["--output-dir", out, "--shard", "0/3"])
        #expect(otherCount.status != 0)
        #expect(otherCount.stderr.contains("already holds shard-00000-of-00002.manifest.json, from a run in another number of shards than 3"), "\(otherCount.stderr)")

        try (Self.corpus + "\none more line").write(toFile: input, atomically: true, encoding: .utf8)
        let changed = try encode(input, shard)
        #expect(changed.status != 0)
        #expect(changed.stderr.contains("input.sha256"), "\(changed.stderr)")
        #expect(changed.stderr.contains("input.lines: 300 → 301"), "\(changed.stderr)")

        let forced = try encode(input, shard + ["--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("embedded 150 texts"), "\(forced.stderr)")
        let manifest = try String(contentsOfFile: out + "/shard-00000-of-00002.manifest.json", encoding: .utf8)
        #expect(manifest.contains(#""lines" : 301"#), "\(manifest)")
    }

    /// A manifest with a key we do not know is refused by name, by encode and by merge;
    /// --force replaces it.
    @Test func manifestWithAnUnknownKeyIsRefused() throws {
        let folder = try TestFolder()
        let input = try input(in: folder)
        let out = folder.path("out")
        #expect(try encode(input, ["--output-dir", out]).status == 0)
        let manifest = out + "/shard-00000-of-00001.manifest.json"
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        let edited = text.replacingOccurrences(of: #""version" : 1"#, with: #""version" : 1, "seed" : 7"#)
        #expect(edited != text)
        try edited.write(toFile: manifest, atomically: true, encoding: .utf8)
        let message = "shard-00000-of-00001.manifest.json is not a valid shard manifest: at top level: unknown key 'seed'"
        let refused = try encode(input, ["--output-dir", out])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains(message), "\(refused.stderr)")
        let merge = try CommandRunner.run(["merge", out])
        #expect(merge.status != 0)
        #expect(merge.stderr.contains(message), "\(merge.stderr)")
        let forced = try encode(input, ["--output-dir", out, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try CommandRunner.run(["merge", out]).stdout == (try encode(input, [])).stdout)
    }

    @Test func badShardArgumentsAreRefusedWithAMessage() throws {
        let folder = try TestFolder()
        let input = try input(in: folder)
        let cases: [([String], String)] = [
            (["--output-dir", folder.path("o"), "--shard", "3/3"], "K is 0-based and must be from 0 to 2, got 3"),
            (["--output-dir", folder.path("o"), "--shard", "1"], "--shard expects K/N"),
            (["--output-dir", folder.path("o"), "--shard", "0/0"], "the number of shards must be at least 1"),
            (["--output-dir", folder.path("o"), "--part-size", "0"], "--part-size must be at least 1"),
            (["--shard", "0/2"], "--shard needs --output-dir"),
            (["--format", "npy"], "--format needs --output-dir"),
        ]
        for (arguments, message) in cases {
            let run = try encode(input, arguments)
            #expect(run.status != 0)
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
        let stdin = try CommandRunner.run(["encode"] + Self.engine + ["--output-dir", folder.path("o")], input: "a\n")
        #expect(stdin.status != 0)
        #expect(stdin.stderr.contains("--output-dir needs --input FILE"), "\(stdin.stderr)")
        let none = try CommandRunner.run(["merge", folder.url.path])
        #expect(none.status != 0)
        #expect(none.stderr.contains("no shard manifests"), "\(none.stderr)")
    }
}

/// A child `embed` process whose output goes to files.
struct ChildProcess {
    let process = Process()
    let folder: TestFolder

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        folder = try TestFolder()
        for name in ["stdout", "stderr"] { _ = FileManager.default.createFile(atPath: folder.path(name), contents: nil) }
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        process.environment = CommandRunner.environment(environment)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: folder.path("stdout"))
        process.standardError = FileHandle(forWritingAtPath: folder.path("stderr"))
        try process.run()
    }

    var stderr: String { (try? String(contentsOfFile: folder.path("stderr"), encoding: .utf8)) ?? "" }
}
