import ArgumentParser
import EmbedCore
import EmbedEngine
import Foundation

/// `embed quantize`: writes an int8 or fp16 variant of a model folder's ONNX file, then shows
/// on one screen what it costs in quality and what it gains in speed.
struct QuantizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Write an int8 (or fp16) variant of a model and compare it with fp32: quality, retrieval, speed.",
        discussion: """
            Runs scripts/quantize_model.py, which writes onnx/model_quantized.onnx (--mode dynamic-int8) or \
            onnx/model_fp16.onnx (--mode fp16) next to onnx/model.onnx. The default int8 recipe is the one \
            chosen by measurement (per-channel int8 weights, the attention's activation products left in \
            fp32; docs/quantization.md); --recipe ort-default starts from ONNX Runtime's defaults instead, and \
            the other flags change the recipe. Then both files are loaded by this engine and compared: cosine \
            of the variant's vectors to fp32 on the check texts, retrieval on query/document pairs (recall@1, \
            recall@10, MRR@10), and speed (batches of 32 and single texts). The command fails when the mean \
            cosine is below --min-cosine.
            """)

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case dynamicInt8 = "dynamic-int8"
        case fp16
    }

    enum Recipe: String, ExpressibleByArgument, CaseIterable {
        case recommended
        case ortDefault = "ort-default"
    }

    @Argument(help: "A model folder with onnx/model.onnx, or a CLIP folder with onnx/text_model.onnx and onnx/vision_model.onnx (embed convert writes either).")
    var model: String

    @Option(name: .long, help: "dynamic-int8 or fp16.")
    var mode: Mode

    @Option(name: .long, help: "The int8 recipe to start from: recommended or ort-default.")
    var recipe: Recipe = .recommended

    @Flag(inversion: .prefixedNo, help: "One weight scale per output channel (int8; default: as the recipe says).")
    var perChannel: Bool?

    @Flag(name: .long, help: "7-bit weights, for CPUs without VNNI instructions (int8).")
    var reduceRange = false

    @Flag(name: .long, help: "Fuse the graph first with ONNX Runtime's transformer optimizer and quantize the fused attention (int8).")
    var fuse = false

    @Option(name: .long, help: "Keep in fp32 the K MatMuls whose inputs have the widest activations, calibrated on 64 texts (int8; quality up, speed down: docs/quantization.md).")
    var keepOutliers = 0

    @Option(name: .long, parsing: .upToNextOption, help: "ONNX node names to keep in fp32 (int8).")
    var keepFp32: [String] = []

    @Option(name: .long, help: "Check texts, one per line (default: scripts/data/reference_sentences.txt).")
    var texts: String?

    @Option(name: .long, help: "Query/document pairs, JSONL (default: the corpus of `make corpus`, .cache/corpus/pairs.jsonl).")
    var pairs: String?

    @Option(name: .long, help: "How many pairs the retrieval check uses.")
    var pairsSample = 300

    @Option(name: .long, help: "Texts for the speed check, one per line (default: .cache/corpus/texts.txt, else the check texts).")
    var speedTexts: String?

    @Option(name: .long, help: "How many texts the speed check embeds per round (batches of 32).")
    var speedSample = 256

    @Option(name: .long, help: "The lowest mean cosine to fp32 accepted.")
    var minCosine: Float = 0.98

    @Flag(name: .long, help: "Only write the variant, without the comparison.")
    var noCheck = false

    @OptionGroup var toolchain: ToolchainOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard pairsSample >= 2, speedSample >= 1 else { throw ValidationError("--pairs-sample must be ≥ 2 and --speed-sample ≥ 1") }
        guard keepOutliers >= 0 else { throw ValidationError("--keep-outliers must be ≥ 0") }
        if mode == .fp16, perChannel != nil || reduceRange || fuse || keepOutliers > 0 || !keepFp32.isEmpty {
            throw ValidationError("--per-channel, --reduce-range, --fuse, --keep-outliers and --keep-fp32 apply to --mode dynamic-int8 only")
        }
    }

    var variantFile: String { mode == .fp16 ? "onnx/model_fp16.onnx" : "onnx/model_quantized.onnx" }

    func run() async throws {
        let prepared = try toolchain.prepare(logging: logging)
        let tools = try Toolchain.locate(prepared.settings.toolchain)
        let folder = URL(fileURLWithPath: model)
        if let towers = CLIPQuantizationCheck.towers(in: folder) { return try await quantizeCLIP(towers, folder: folder, prepared: prepared, tools: tools) }
        guard (try? folder.appendingPathComponent("onnx/model.onnx").resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else {
            throw CLIError("\(model) has no onnx/model.onnx: embed quantize works on a local model folder (embed convert writes one)")
        }
        var arguments = [model, "--mode", mode.rawValue]
        if mode == .dynamicInt8 {
            arguments += ["--recipe", recipe.rawValue]
            if let perChannel { arguments.append(perChannel ? "--per-channel" : "--no-per-channel") }
            if reduceRange { arguments.append("--reduce-range") }
            if fuse { arguments.append("--fuse") }
            if keepOutliers > 0 { arguments += ["--keep-outliers", String(keepOutliers)] }
            if !keepFp32.isEmpty { arguments += ["--keep-fp32"] + keepFp32 }
        }
        let status = try await tools.run("quantize_model.py", arguments)
        guard status == 0 else { throw CLIError("quantization failed (quantize_model.py exited with status \(status))") }
        guard !noCheck else { return }

        let check = QuantizationCheck(
            folder: folder, variantFile: variantFile, prepared: prepared, options: toolchain,
            checkTexts: try TextFiles.lines(texts ?? tools.scripts.appendingPathComponent("data/reference_sentences.txt").path),
            pairs: try pairsFile().map { try TextFiles.pairs($0, limit: pairsSample) } ?? [],
            speedTexts: try speedFile().map { try TextFiles.lines($0, limit: speedSample) })
        let report = try await check.run()
        var out = StandardOutput()
        for line in report.lines(minCosine: minCosine) { out.writeLine(line) }
        out.flush()
        if report.quality.mean < minCosine { throw ExitCode(1) }
    }

    /// The pairs file: the option, else the corpus of `make corpus` when it exists.
    /// A CLIP folder in the split layout: each tower's int8 file, then the comparison on the
    /// check texts and on the check images the script draws.
    func quantizeCLIP(_ towers: [String], folder: URL, prepared: ModelOptions.Prepared, tools: Toolchain) async throws {
        guard mode == .dynamicInt8 else { throw CLIError("\(model) is a CLIP model: only --mode dynamic-int8 applies (fp16 CLIP towers are not supported)") }
        let images = FileManager.default.temporaryDirectory.appendingPathComponent("swift-embed-quantize-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: images) }
        var arguments = [model, "--mode", mode.rawValue, "--recipe", recipe.rawValue, "--check-images", images.path]
        if let perChannel { arguments.append(perChannel ? "--per-channel" : "--no-per-channel") }
        if reduceRange { arguments.append("--reduce-range") }
        if fuse || keepOutliers > 0 || !keepFp32.isEmpty { throw CLIError("--fuse, --keep-outliers and --keep-fp32 are for text models, not CLIP towers") }
        let status = try await tools.run("quantize_model.py", arguments)
        guard status == 0 else { throw CLIError("quantization failed (quantize_model.py exited with status \(status))") }
        guard !noCheck else { return }
        let check = CLIPQuantizationCheck(
            folder: folder, towers: towers, prepared: prepared, options: toolchain,
            checkTexts: try TextFiles.lines(texts ?? tools.scripts.appendingPathComponent("data/reference_sentences.txt").path),
            checkImages: try FileManager.default.contentsOfDirectory(at: images, includingPropertiesForKeys: nil)
                .sorted { $0.lastPathComponent < $1.lastPathComponent })
        let (lines, mean) = try await check.run()
        var out = StandardOutput()
        for line in lines { out.writeLine(line) }
        let passed = mean >= minCosine
        out.writeLine("result     \(passed ? "passed" : "FAILED"): mean cosine \(CosineSummary.format(mean)) \(passed ? "≥" : "<") \(minCosine)")
        out.flush()
        if !passed { throw ExitCode(1) }
    }

    func pairsFile() -> String? {
        if let pairs { return pairs }
        return Self.corpusFile("pairs.jsonl")
    }

    func speedFile() -> String? {
        if let speedTexts { return speedTexts }
        return Self.corpusFile("texts.txt")
    }

    static func corpusFile(_ name: String) -> String? {
        var folders: [URL] = []
        if let setup = ProcessInfo.processInfo.environment["EMBED_SETUP_DIR"], !setup.isEmpty {
            folders.append(URL(fileURLWithPath: setup))
        }
        if let root = Toolchain.checkout() { folders.append(root.appendingPathComponent(".cache")) }
        return folders.map { $0.appendingPathComponent("corpus").appendingPathComponent(name).path }
            .first { FileManager.default.fileExists(atPath: $0) }
    }
}
