import ArgumentParser
import EmbedEngine
import Foundation

/// The options that choose and configure a model, shared by the commands that embed. Each
/// flag sets one configuration key (see ``SettingKey``) over the configuration file and the
/// environment; `--set key=value` sets any key.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A configuration file, YAML or JSON (default: EMBED_CONFIG). See `embed config --keys`.")
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Set any configuration key, e.g. --set onnx.providers=cuda,cpu (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Option(name: .long, help: "A model folder (sentence-transformers layout), a single .onnx file, or a hub model id such as sentence-transformers/all-MiniLM-L6-v2 (downloaded on first use). embed serve takes several: --model A --model B, each [name=]model, the first the default. [model, server.models]")
    var model: [String] = []

    @Option(name: .long, help: SettingKey.flagHelp("Hub revision of a model id: branch, tag or commit", key: "revision"))
    var revision: String?

    @Option(name: .long, help: "The tokenizer.json to use with a single .onnx file (default: the one next to it). [tokenizer]")
    var tokenizer: String?

    @Option(name: .long, help: "The ONNX file inside the model folder, e.g. onnx/model_quantized.onnx. [onnx.model_path]")
    var onnxFile: String?

    @Option(name: .long, help: SettingKey.flagHelp("ONNX file variant: auto, fp32, quantized, fp16", key: "onnx.variant"))
    var variant: String?

    @Flag(inversion: .prefixedNo, help: "With --variant auto, prefer a quantized file when the model has one. [onnx.quantized]")
    var quantized: Bool?

    @Option(name: .long, help: SettingKey.flagHelp("The runtime of the model: onnxruntime, openvino or auto (measured; the default of embed serve)", key: "runtime"))
    var runtime: String?

    @Option(name: .long, help: SettingKey.flagHelp("runtime openvino: f32 or bf16 (CPUs with native bf16)", key: "openvino.precision"))
    var precision: String?

    @Option(name: .long, help: SettingKey.flagHelp("Execution providers in order of preference, e.g. cuda,cpu", key: "onnx.providers"))
    var providers: String?

    @Option(name: .long, help: SettingKey.flagHelp("Allowed fallbacks: cpu, fp32, onnxruntime, hashing or none, comma-separated", key: "fallback"))
    var fallback: String?

    @Option(name: .long, help: "onnx (the model) or hashing (no model, a different vector space). [onnx.enabled]")
    var engine: String?

    @Option(name: .long, help: SettingKey.flagHelp("Texts per model run", key: "batch.max_size"))
    var batchSize: Int?

    @Option(name: .long, help: SettingKey.flagHelp("The most padded tokens (texts × longest) in one model run; long texts go in smaller batches", key: "batch.max_tokens"))
    var maxBatchTokens: Int?

    @Option(name: .long, help: SettingKey.flagHelp("Model runs at once, each on its own thread; pair with --threads = cores ÷ workers", key: "batch.workers", defaultText: Settings.workersDefault))
    var workers: Int?

    @Option(name: .long, help: "Maximum tokens per text, special tokens included (default: the model's). [max_length]")
    var maxLength: Int?

    @Option(name: .long, help: SettingKey.flagHelp("ONNX Runtime intra-op threads; 0: one per physical core", key: "onnx.intra_op_num_threads"))
    var threads: Int?

    @Flag(inversion: .prefixedNo, help: "L2-normalise vectors (default: as the model's modules.json says). [normalize]")
    var normalize: Bool?

    @Option(name: .long, help: "Pooling instead of the model's: cls, mean, max, mean_sqrt_len, weightedmean, lasttoken. [pooling]")
    var pooling: String?

    @Option(name: .long, help: "Put the model's prompt of this name before every text, e.g. query or passage (see `embed inspect`). [prompt_name]")
    var promptName: String?

    @Option(name: .long, help: ArgumentHelp("Put this literal text before every text (\"\" for none). [prompt]", valueName: "text"))
    var prompt: String?

    @Option(name: .long, help: "Path of the ONNX Runtime library (default: ORT_DYLIB_PATH, the project's .cache, the system). [onnx.library_path]")
    var ortLibrary: String?

    @Option(name: .long, help: "The hub cache folder (default: as the Hugging Face tools: HF_HUB_CACHE, HF_HOME/hub, ~/.cache/huggingface/hub). [cache_dir]")
    var cacheDir: String?

    @Flag(name: .long, help: "Use the hub cache only, never the network. [offline]")
    var offline = false

    /// The flags given, as settings.
    func flagSettings(logging: LoggingOptions? = nil, serving: Bool = false) throws -> [SettingsLoader.Flag] {
        var flags: [SettingsLoader.Flag] = []
        func add(_ key: String, _ value: String?, _ flag: String) {
            guard let value else { return }
            flags.append(.init(key: key, value: .scalar(value), flag: flag))
        }
        flags += try modelFlags(serving: serving)
        add("revision", revision, "--revision")
        add("tokenizer", tokenizer, "--tokenizer")
        add("onnx.model_path", onnxFile, "--onnx-file")
        add("onnx.variant", variant, "--variant")
        add("runtime", runtime, "--runtime")
        add("openvino.precision", precision, "--precision")
        add("onnx.quantized", quantized.map { String($0) }, quantized == false ? "--no-quantized" : "--quantized")
        if let providers { flags.append(.init(key: "onnx.providers", value: .text(providers, listKey: true), flag: "--providers")) }
        if let fallback { flags.append(.init(key: "fallback", value: .text(fallback, listKey: true), flag: "--fallback")) }
        if let engine {
            guard ["onnx", "hashing"].contains(engine) else {
                throw ValidationError("unknown --engine '\(engine)': expected onnx or hashing")
            }
            add("onnx.enabled", engine == "onnx" ? "true" : "false", "--engine")
        }
        add("batch.max_size", batchSize.map(String.init), "--batch-size")
        add("max_length", maxLength.map(String.init), "--max-length")
        add("batch.workers", workers.map(String.init), "--workers")
        add("batch.max_tokens", maxBatchTokens.map(String.init), "--max-batch-tokens")
        add("onnx.intra_op_num_threads", threads.map(String.init), "--threads")
        add("normalize", normalize.map { String($0) }, normalize == false ? "--no-normalize" : "--normalize")
        add("pooling", pooling, "--pooling")
        add("prompt_name", promptName, "--prompt-name")
        if let prompt { flags.append(.init(key: "prompt", value: .scalar(prompt), flag: "--prompt")) }
        add("onnx.library_path", ortLibrary, "--ort-library")
        add("cache_dir", cacheDir, "--cache-dir")
        if offline { add("offline", "true", "--offline") }
        add("log_level", logging?.logLevel, "--log-level")
        add("log_format", logging?.logFormat, "--log-format")
        for assignment in overrides {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("--set expects key=value, got '\(assignment)'")
            }
            let key = String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)
            let isList = SettingKey.all.first { $0.name == key }?.isList ?? false
            flags.append(.init(key: key, value: .text(String(assignment[assignment.index(after: equals)...]), listKey: isList), flag: "--set \(key)"))
        }
        return flags
    }

    /// The effective settings: defaults, configuration file, environment, these flags.
    func settings(
        logging: LoggingOptions? = nil, extra: [SettingsLoader.Flag] = [],
        environment: [String: String] = ProcessInfo.processInfo.environment, serving: Bool = false
    ) throws -> SettingsLoader.Loaded {
        try SettingsLoader(
            environment: environment, configFile: config, flags: flagSettings(logging: logging, serving: serving) + extra,
            teiEnvironment: serving
        ).load()
    }
}
