import ArgumentParser
import EmbedCore
import EmbedEngine
import Foundation

/// `embed convert`: a sentence-transformers / transformers checkpoint to an ONNX model
/// folder, checked against PyTorch with this engine.
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Export a sentence-transformers, transformers or CLIP model to ONNX and check it against PyTorch.",
        discussion: """
            Runs scripts/convert_model.py with the project's Python environment (see toolchain.python): \
            the model is loaded with sentence-transformers, saved in the Hugging Face layout in --output \
            (tokenizer, configurations, pooling, Dense and Normalize modules, prompts) with its transformer \
            exported to onnx/model.onnx, and PyTorch vectors are computed for the check texts. Then this \
            engine loads the new folder and embeds the same texts: the mean and minimum cosine to PyTorch \
            are printed, and the command fails when the minimum is below --min-cosine. A CLIP checkpoint \
            (config.json model_type clip) is written as split towers (onnx/text_model.onnx, \
            onnx/vision_model.onnx), each checked against get_text_features / get_image_features, and \
            the check covers texts and images.
            """)

    @Argument(help: "A model folder or a hub id (downloaded by sentence-transformers unless HF_HUB_OFFLINE=1).")
    var source: String

    @Option(name: .long, help: "The folder to write.")
    var output: String

    @Option(name: .long, help: "Check texts, one per line (default: scripts/data/reference_sentences.txt, plus an empty and a blank text).")
    var texts: String?

    @Option(name: .long, help: "The lowest cosine to PyTorch accepted for any check text.")
    var minCosine: Float = 0.999

    @Option(name: .long, help: "The ONNX opset.")
    var opset: Int = 17

    @Flag(name: .long, help: "Replace an existing output folder.")
    var force = false

    @Flag(name: .long, help: "Allow the model's own Python code (custom architectures).")
    var trustRemoteCode = false

    @OptionGroup var toolchain: ToolchainOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard minCosine > 0, minCosine <= 1 else { throw ValidationError("--min-cosine must be in (0, 1], got \(minCosine)") }
    }

    func run() async throws {
        let prepared = try toolchain.prepare(logging: logging)
        let tools = try Toolchain.locate(prepared.settings.toolchain)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("swift-embed-convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let reference = work.appendingPathComponent("reference.json")
        var arguments = [source, "--output", output, "--reference", reference.path, "--opset", String(opset)]
        if let texts { arguments += ["--texts", texts] }
        if force { arguments.append("--force") }
        if trustRemoteCode { arguments.append("--trust-remote-code") }
        let status = try await tools.run("convert_model.py", arguments)
        guard status == 0 else { throw CLIError("the conversion failed (convert_model.py exited with status \(status))") }

        let expected = try JSONDecoder().decode(ConvertReference.self, from: Data(contentsOf: reference))
        let isCLIP = expected.kind == "clip"
        let onnxFile = isCLIP ? "onnx/text_model.onnx,onnx/vision_model.onnx" : "onnx/model.onnx"
        let embedder = try await Embedder(
            .folder(URL(fileURLWithPath: output)), configuration: try toolchain.checkConfiguration(prepared, onnxFile: onnxFile),
            logger: prepared.logger)
        let vectors = try await embedder.embed(expected.texts)
        var summary = try CosineSummary(vectors, expected.embeddings)
        var imageSummary: CosineSummary?
        if let images = expected.images, let imageEmbeddings = expected.imageEmbeddings {
            let inputs = try images.map { EmbeddingInput.image(try Data(contentsOf: URL(fileURLWithPath: $0))) }
            let result = try await embedder.embed(inputs)
            imageSummary = try CosineSummary(result.embeddings, imageEmbeddings)
        }
        var out = StandardOutput()
        out.writeLine("model      \(output) (\(embedder.info.dimension) dimensions, pooling \(embedder.info.pooling?.description ?? "in graph"), "
            + "normalize \(embedder.info.normalize), max length \(embedder.info.maxLength.value))")
        out.writeLine("onnx       \(embedder.info.runtime?.onnxPath ?? "-")")
        if !embedder.info.outputModules.isEmpty { out.writeLine("modules    \(embedder.info.outputModules.joined(separator: ", "))") }
        let prompts = embedder.info.prompts.prompts.filter { !$0.value.isEmpty }
        if !prompts.isEmpty {
            out.writeLine("prompts    \(prompts.keys.sorted().joined(separator: ", ")) (\(embedder.info.prompts.source))")
        }
        out.writeLine("check      swift-embed vs PyTorch on \(expected.texts.count) texts: \(summary.describe(texts: expected.texts))")
        if let imageSummary, let images = expected.images {
            let names = images.map { URL(fileURLWithPath: $0).lastPathComponent }
            out.writeLine("check      swift-embed vs PyTorch get_image_features on \(images.count) images: \(imageSummary.describe(texts: names))")
            if imageSummary.minimum.value < summary.minimum.value { summary = imageSummary }
        }
        let passed = summary.minimum.value >= minCosine
        out.writeLine("result     \(passed ? "passed" : "FAILED"): minimum cosine \(CosineSummary.format(summary.minimum.value)) "
            + "\(passed ? "≥" : "<") \(minCosine)")
        out.flush()
        if !passed { throw ExitCode(1) }
    }
}

/// What convert_model.py writes for the check: PyTorch's vectors of the check texts, and for a
/// CLIP model (`kind` "clip") of the check images it drew too.
struct ConvertReference: Decodable {
    var kind: String?
    var texts: [String]
    var embeddings: [[Float]]
    var images: [String]?
    var imageEmbeddings: [[Float]]?

    enum CodingKeys: String, CodingKey {
        case kind, texts, embeddings, images, imageEmbeddings = "image_embeddings"
    }
}
