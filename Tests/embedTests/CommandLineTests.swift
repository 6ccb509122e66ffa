import EmbedEngine
import EmbedTestSupport
import Foundation
import Testing

/// The `embed` executable, run as a child process.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct CommandLineTests {
    let tinyModel = TestPaths.fixture("tiny-model").path

    func vectors(_ stdout: String) -> [[Float]] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            line.dropFirst().dropLast().split(separator: ",").compactMap { Float(String($0)) }
        }
    }

    @Test func versionIsTheLibrarysOne() throws {
        let run = try CommandRunner.run(["--version"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == SwiftEmbed.version)
    }

    @Test func encodePrintsOneVectorPerLineInOrder() async throws {
        let run = try CommandRunner.run(["encode", "--model", tinyModel], input: "hello world\n\nthe foo\n")
        #expect(run.status == 0, "\(run.stderr)")
        let printed = vectors(run.stdout)
        #expect(printed.count == 3)
        #expect(printed.allSatisfy { $0.count == 4 })
        // The values read back as exactly the library's floats.
        let embedder = try await Embedder(.folder(TestPaths.fixture("tiny-model")), logger: TestRuntime.logger)
        #expect(printed == (try await embedder.embed(["hello world", "", "the foo"])))
    }

    @Test func encodeTakesArgumentsAndJSONLines() throws {
        let arguments = try CommandRunner.run(["encode", "--model", tinyModel, "hello", "bar"])
        #expect(arguments.status == 0)
        #expect(vectors(arguments.stdout).count == 2)
        let jsonl = try CommandRunner.run(
            ["encode", "--model", tinyModel, "--jsonl", "--input", "-"],
            input: #"{"text": "hello"}"# + "\n" + #"{"text": "bar", "id": 7}"# + "\n")
        #expect(jsonl.status == 0, "\(jsonl.stderr)")
        #expect(vectors(jsonl.stdout) == vectors(arguments.stdout))
    }

    @Test func badJSONLineIsNamedByNumber() throws {
        let run = try CommandRunner.run(
            ["encode", "--model", tinyModel, "--jsonl"], input: #"{"text": "ok"}"# + "\n{not json\n")
        #expect(run.status != 0)
        #expect(run.stderr.contains("line 2 is not valid JSON"), "\(run.stderr)")
        let missing = try CommandRunner.run(["encode", "--model", tinyModel, "--jsonl"], input: #"{"body": "x"}"# + "\n")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("line 1: no \"text\" field"), "\(missing.stderr)")
    }

    @Test func badFlagsAndInputsFailWithAMessage() throws {
        let zero = try CommandRunner.run(["encode", "--model", tinyModel, "--batch-size", "0", "x"])
        #expect(zero.status != 0)
        #expect(zero.stderr.contains("invalid value '0' for batch.max_size (from --batch-size): expected an integer ≥ 1"), "\(zero.stderr)")
        let unknown = try CommandRunner.run(["encode", "--model", tinyModel, "--no-such-flag"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("--no-such-flag"))
        let unreadable = try CommandRunner.run(["encode", "--model", tinyModel, "--input", "/nonexistent/texts.txt"])
        #expect(unreadable.status != 0)
        #expect(unreadable.stderr.contains("cannot read input file /nonexistent/texts.txt"))
        let noModel = try CommandRunner.run(["encode", "--model", "/nonexistent/model", "x"])
        #expect(noModel.status != 0)
        #expect(noModel.stderr.contains("no model at /nonexistent/model"))
        let pooling = try CommandRunner.run(["encode", "--model", tinyModel, "--pooling", "median", "x"])
        #expect(pooling.status != 0)
        #expect(pooling.stderr.contains("invalid value 'median' for pooling (from --pooling): expected one of cls"), "\(pooling.stderr)")
        #expect(run(["encode", "--model", tinyModel, "--input", "-"], bytes: [0x68, 0xFF, 0x0A]).contains("line 1 is not valid UTF-8"))
    }

    func run(_ arguments: [String], bytes: [UInt8]) -> String {
        (try? CommandRunner.run(arguments, inputBytes: Data(bytes)).stderr) ?? ""
    }

    @Test func tokenizePrintsIdsAndOnlyIds() throws {
        let run = try CommandRunner.run(
            ["tokenize", "--tokenizer", TestPaths.fixture("tiny-model/tokenizer.json").path],
            input: #""Hello worlds""# + "\n" + #""\ud83d\ude00 the""# + "\n" + #""""# + "\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "[2,4,5,8,3]\n[2,1,9,3]\n[2,3]\n")
        let truncated = try CommandRunner.run(
            ["tokenize", "--tokenizer", TestPaths.fixture("tiny-model/tokenizer.json").path, "--max-length", "3"],
            input: #""hello world foo""# + "\n")
        #expect(truncated.stdout == "[2,4,3]\n")
        let bad = try CommandRunner.run(
            ["tokenize", "--tokenizer", TestPaths.fixture("tiny-model/tokenizer.json").path], input: "\"ok\"\nnot json\n")
        #expect(bad.status != 0)
        #expect(bad.stdout == "[2,1,3]\n")
        #expect(bad.stderr.contains("line 2 is not a JSON string"))
    }

    @Test func inspectDescribesTheModel() throws {
        let run = try CommandRunner.run(["inspect", "--model", tinyModel, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(report?["dimension"] as? Int == 4)
        #expect(report?["pooling"] as? String == "mean")
        #expect(report?["maxLength"] as? Int == 8)
        let onnx = report?["onnx"] as? [String: Any]
        #expect((onnx?["availableProviders"] as? [String])?.contains("CPUExecutionProvider") == true)
        #expect(onnx?["executionProvider"] as? String == "CPUExecutionProvider")
        #expect(onnx?["quantized"] as? Bool == false)
    }

    @Test func helpExplainsEveryOption() throws {
        let run = try CommandRunner.run(["encode", "--help"])
        #expect(run.status == 0)
        for option in ["--model", "--tokenizer", "--input", "--jsonl", "--batch-size", "--no-normalize", "--threads"] {
            #expect(run.stdout.contains(option), "help mentions \(option)")
        }
    }
}

/// The real model through the command line: right count and dimension.
@Suite(.enabled(if: TestRuntime.isRealModelAvailable, "needs the real model: run `make setup`"))
struct RealModelCommandLineTests {
    @Test func encodeOfASmallFile() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("texts.txt")
        try "The cat sits on the mat.\nA feline rests on a rug.\nStock markets fell sharply today.\n".write(
            to: file, atomically: true, encoding: .utf8)
        let run = try CommandRunner.run(["encode", "--model", TestRuntime.realModelFolder.path, "--input", file.path])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.split(separator: ",").count == 384 })
    }
}
