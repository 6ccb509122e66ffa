import ArgumentParser
import EmbedEngine
import EmbedORT
import Foundation

/// The options of the toolchain commands (`convert`, `quantize`): where the Python tools
/// are and how the engine that checks their output runs.
struct ToolchainOptions: ParsableArguments {
    @Option(name: .long, help: "A configuration file, YAML or JSON (default: EMBED_CONFIG).")
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Set any configuration key (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Option(name: .long, help: "The Python to run (default: .cache/venv/bin/python of the swift-embed checkout). [toolchain.python]")
    var python: String?

    @Option(name: .long, help: "The folder with convert_model.py and quantize_model.py (default: the checkout's scripts/). [toolchain.scripts]")
    var scripts: String?

    @Option(name: .long, help: "ONNX Runtime intra-op threads for the checks; 0: one per physical core. [onnx.intra_op_num_threads]")
    var threads: Int?

    @Option(name: .long, help: "Path of the ONNX Runtime library. [onnx.library_path]")
    var ortLibrary: String?

    /// Settings (file, environment, these flags) and the logger.
    func prepare(logging: LoggingOptions) throws -> ModelOptions.Prepared {
        var options = try ModelOptions.parse(overrides.flatMap { ["--set", $0] } + (config.map { ["--config", $0] } ?? []))
        options.threads = threads
        options.ortLibrary = ortLibrary
        var flags = try options.flagSettings(logging: logging)
        if let python { flags.append(.init(key: "toolchain.python", value: .scalar(python), flag: "--python")) }
        if let scripts { flags.append(.init(key: "toolchain.scripts", value: .scalar(scripts), flag: "--scripts")) }
        let loaded = try SettingsLoader(environment: ProcessInfo.processInfo.environment, configFile: config, flags: flags).load()
        return ModelOptions.Prepared(loaded: loaded, logger: logging.makeLogger(level: loaded.settings.logLevel, format: loaded.settings.logFormat))
    }

    /// The configuration a check loads a folder's ONNX file with: the engine settings, but
    /// the model's own pooling, normalisation, length and prompts, and no fallback (a file
    /// that fails must fail, not be replaced by another one).
    func checkConfiguration(_ prepared: ModelOptions.Prepared, onnxFile: String) throws -> EmbedderConfiguration {
        var configuration = try prepared.settings.embedderConfiguration()
        configuration.onnxFile = onnxFile
        configuration.maxLength = nil
        configuration.normalize = nil
        configuration.pooling = nil
        configuration.defaultPrompt = .automatic
        configuration.fallback = []
        configuration.engine = .onnx
        configuration.providers = [.cpu]
        return configuration
    }
}
