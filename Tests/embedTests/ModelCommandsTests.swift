@testable import embed
import EmbedTestSupport
import Foundation
import Testing

/// `embed models`, prompts on the command line, and the toolchain commands (`convert`,
/// `quantize`) on the tiny bert model of Tests/Fixtures/families.
struct ModelsListTests {
    @Test func modelsListsTheRegistry() throws {
        let run = try CommandRunner.run(["models"])
        #expect(run.status == 0, "\(run.stderr)")
        for id in ["sentence-transformers/all-MiniLM-L6-v2", "BAAI/bge-small-en-v1.5", "nomic-ai/nomic-embed-text-v1.5"] {
            #expect(run.stdout.contains(id), "embed models lists \(id)")
        }
        let json = try CommandRunner.run(["models", "--format", "json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"unverified\""))
    }

    @Test func docsListTheRegistry() throws {
        let guide = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("docs/models.md"), encoding: .utf8)
        #expect(guide.contains(ModelsReport.markdown()), "the table in docs/models.md is out of date: regenerate it with `embed models --format markdown`")
    }
}

@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct PromptCommandTests {
    let bert = TestPaths.fixture("families/bert").path

    @Test func promptNameAndLiteralPromptGiveTheSameVectors() throws {
        let named = try CommandRunner.run(["encode", "--model", bert, "--prompt-name", "query", "hello world"])
        let literal = try CommandRunner.run(["encode", "--model", bert, "--prompt", "query: ", "hello world"])
        let inline = try CommandRunner.run(["encode", "--model", bert, "query: hello world"])
        let plain = try CommandRunner.run(["encode", "--model", bert, "hello world"])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout == literal.stdout)
        #expect(named.stdout == inline.stdout)
        #expect(named.stdout != plain.stdout)
        let unknown = try CommandRunner.run(["encode", "--model", bert, "--prompt-name", "nope", "x"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown prompt name 'nope'"), "\(unknown.stderr)")
        let both = try CommandRunner.run(["encode", "--model", bert, "--prompt-name", "query", "--prompt", "x", "x"])
        #expect(both.status != 0)
        #expect(both.stderr.contains("not both"), "\(both.stderr)")
    }

    @Test func inspectShowsPromptsAndModules() throws {
        let run = try CommandRunner.run(["inspect", "--model", bert])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("prompt query"), "\(run.stdout)")
        #expect(run.stdout.contains("after pooling       Normalize"), "\(run.stdout)")
    }
}

/// Needs the project's Python environment (`make setup`); skipped without it unless
/// EMBED_REQUIRE_RUNTIME=1.
@Suite(
    .enabled(
        if: TestRuntime.isRequired
            || (TestRuntime.isAvailable && FileManager.default.isExecutableFile(atPath: TestPaths.cache.appendingPathComponent("venv/bin/python").path)),
        "needs ONNX Runtime and the Python environment: run `make setup`"),
    .serialized)
struct ToolchainCommandTests {
    /// The bert family with its Dense variant laid over it: a sentence-transformers folder
    /// with a Dense module whose weights the engine runs from safetensors.
    static func denseSource() throws -> URL {
        let folder = try TestPaths.temporaryFolder().appendingPathComponent("tiny-dense")
        try FileManager.default.copyItem(at: TestPaths.fixture("families/bert"), to: folder)
        for name in ["variants", "onnx", "reference.json", "modules.json"] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        let variant = TestPaths.fixture("families/bert/variants/dense")
        try FileManager.default.copyItem(at: variant.appendingPathComponent("modules.json"), to: folder.appendingPathComponent("modules.json"))
        try FileManager.default.copyItem(at: variant.appendingPathComponent("2_Dense"), to: folder.appendingPathComponent("2_Dense"))
        return folder
    }

    func value(_ label: String, in stdout: String) -> String? {
        stdout.split(separator: "\n").first { $0.hasPrefix(label) }.map { String($0.dropFirst(label.count)).trimmingCharacters(in: .whitespaces) }
    }

    @Test func convertThenQuantizeTheTinyModel() throws {
        let source = try Self.denseSource()
        let output = source.deletingLastPathComponent().appendingPathComponent("converted")
        let convert = try CommandRunner.run(["convert", source.path, "--output", output.path])
        #expect(convert.status == 0, "\(convert.stderr)")
        #expect(value("result", in: convert.stdout)?.hasPrefix("passed") == true, "\(convert.stdout)")
        #expect(value("modules", in: convert.stdout) == "Dense 2_Dense (32 → 16, Tanh), Normalize", "\(convert.stdout)")
        for file in ["onnx/model.onnx", "tokenizer.json", "modules.json", "2_Dense/model.safetensors", "config_sentence_transformers.json"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "convert writes \(file)")
        }
        let again = try CommandRunner.run(["convert", source.path, "--output", output.path])
        #expect(again.status != 0, "an existing output folder needs --force")

        let quantize = try CommandRunner.run([
            "quantize", output.path, "--mode", "dynamic-int8", "--pairs-sample", "20", "--speed-sample", "32", "--min-cosine", "0.5",
        ])
        #expect(quantize.status == 0, "\(quantize.stderr)")
        #expect(value("variant", in: quantize.stdout)?.hasPrefix("onnx/model_quantized.onnx") == true, "\(quantize.stdout)")
        #expect(value("recipe", in: quantize.stdout)?.contains("per channel") == true, "\(quantize.stdout)")
        #expect(quantize.stdout.contains("mean cosine"), "\(quantize.stdout)")
        #expect(quantize.stdout.contains("texts/s"), "\(quantize.stdout)")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("onnx/model_quantized.onnx").path))

        let fp16 = try CommandRunner.run(["quantize", output.path, "--mode", "fp16", "--no-check"])
        #expect(fp16.status == 0, "\(fp16.stderr)")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("onnx/model_fp16.onnx").path))
    }

    /// A CLIP checkpoint (the tiny CLIP's CLIPModel weights) becomes split towers, each
    /// checked against PyTorch, and the engine's check covers texts and images.
    @Test func convertTheTinyCLIP() throws {
        let output = try TestPaths.temporaryFolder().appendingPathComponent("clip-converted")
        let convert = try CommandRunner.run(["convert", TestPaths.fixture("clip/tiny").path, "--output", output.path, "--min-cosine", "0.9999"])
        #expect(convert.status == 0, "\(convert.stderr)")
        #expect(value("result", in: convert.stdout)?.hasPrefix("passed") == true, "\(convert.stdout)")
        #expect(convert.stdout.contains("get_image_features on 6 images"), "\(convert.stdout)")
        #expect(convert.stderr.contains("text_model.onnx text_embeds") || convert.stdout.contains("text_model.onnx text_embeds"),
                "the Python side checked the text tower against PyTorch")
        for file in ["onnx/text_model.onnx", "onnx/vision_model.onnx", "tokenizer.json", "preprocessor_config.json", "config.json"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "convert writes \(file)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("model.safetensors").path), "no weights copied")

        // Each tower's int8 file, compared with fp32 on texts and images (a random tiny model:
        // the 0.9 floor says the towers load and agree, not how int8 treats a trained CLIP).
        let quantize = try CommandRunner.run(["quantize", output.path, "--mode", "dynamic-int8", "--min-cosine", "0.9"])
        #expect(quantize.status == 0, "\(quantize.stderr)")
        #expect(value("result", in: quantize.stdout)?.hasPrefix("passed") == true, "\(quantize.stdout)")
        #expect(quantize.stdout.contains("int8 vs fp32 on 6 images"), "\(quantize.stdout)")
        for file in ["onnx/text_model_quantized.onnx", "onnx/vision_model_quantized.onnx"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "quantize writes \(file)")
        }
        let fp16 = try CommandRunner.run(["quantize", output.path, "--mode", "fp16"])
        #expect(fp16.status != 0 && fp16.stderr.contains("fp16 CLIP towers are not supported"), "\(fp16.stderr)")
    }

    @Test func convertFailsClearlyOnWhatItCannotConvert() throws {
        let missing = try CommandRunner.run(["convert", "/nonexistent/model", "--output", try TestPaths.temporaryFolder().appendingPathComponent("x").path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("error: loading /nonexistent/model"), "\(missing.stderr)")
        let noPython = try CommandRunner.run(["convert", "x", "--output", "y", "--python", "/nonexistent/python"])
        #expect(noPython.status != 0)
        #expect(noPython.stderr.contains("no Python environment for the conversion tools"), "\(noPython.stderr)")
        let notFolder = try CommandRunner.run(["quantize", "/nonexistent/model", "--mode", "fp16"])
        #expect(notFolder.status != 0)
        #expect(notFolder.stderr.contains("has no onnx/model.onnx"), "\(notFolder.stderr)")
    }
}
