import EmbedCore
import EmbedEngine
import EmbedOpenVINO
import EmbedORT
import EmbedServer
import Foundation
import Logging

/// One configuration key: its dotted name, what it accepts, its help text, how a raw value
/// is parsed into ``Settings`` and how the current value is shown. The one place where
/// setting values are validated.
struct SettingKey {
    /// The dotted name used in files, `--set` and (upper-cased) environment variables.
    let name: String
    /// What it accepts, for messages and the documentation.
    let type: String
    /// What it does.
    let help: String
    /// Whether the value is a list.
    let isList: Bool
    /// Parses `value` into `settings`; throws a message saying what is expected.
    let apply: (inout Settings, SettingValue) throws(SettingsError) -> Void
    /// The current value.
    let render: (Settings) -> SettingValue

    /// The environment variable that sets this key: `EMBED_` and the name in upper case with
    /// `_` for `.` (`onnx.providers` → `EMBED_ONNX_PROVIDERS`).
    var environmentName: String { "EMBED_" + name.uppercased().replacingOccurrences(of: ".", with: "_") }
}

extension SettingKey {
    /// Every key, in documentation order.
    static var all: [SettingKey] {
        [
            optionalString("model", \.model, help: "A model folder, a single .onnx file or a hub model id (owner/name)."),
            string("revision", \.revision, help: "The hub revision of a model id: branch, tag or commit."),
            optionalString("tokenizer", \.tokenizer, help: "The tokenizer.json of a single .onnx file (default: the one next to it)."),
            bool("onnx.enabled", \.onnx.enabled, help: "Run the model with ONNX Runtime; false uses the hashing engine (no model, other vector space)."),
            choice("runtime", \.runtime, EmbedderConfiguration.Runtime.allCases, name: \.rawValue, help: "The runtime of the ONNX model: onnxruntime, or openvino (CPU; quantized models stay on ONNX Runtime; falls back to ONNX Runtime, logged, when fallback has onnxruntime)."),
            choice("openvino.precision", \.openVINO.precision, OpenVINOConfiguration.Precision.allCases, name: \.rawValue, help: "runtime openvino: the precision it computes in, always set explicitly: f32 (ONNX Runtime's vectors) or bf16 (CPUs with native bf16 only; about 2× f32 there, cosine ≥ 0.9999)."),
            choice("openvino.hint", \.openVINO.performanceHint, OVCompileOptions.PerformanceHint.allCases, name: { $0.rawValue.lowercased() }, help: "runtime openvino: OpenVINO's performance hint."),
            optionalString("openvino.library_path", \.openVINO.libraryPath, help: "runtime openvino: libopenvino_c, a file or a folder (default: OPENVINO_LIB_PATH, the project's .cache/openvino/lib, the system)."),
            bool("openvino.model_cache", \.openVINO.modelCache, help: "runtime openvino: keep OpenVINO's compiled models between runs (start to first embedding 0.24 s instead of 0.50 s on all-MiniLM-L6-v2). Entries are not pruned: delete the folder to reclaim the space."),
            optionalString("openvino.cache_dir", \.openVINO.cacheDir, help: "runtime openvino: where the compiled models are kept (default: openvino/ beside onnx.optimized_cache_dir's default, ~/.cache/swift-embed/openvino)."),
            providers,
            optionalString("onnx.library_path", \.onnx.libraryPath, help: "The ONNX Runtime library, a file or a folder (default: ORT_DYLIB_PATH, the project's .cache, the system)."),
            optionalString("onnx.model_path", \.onnx.modelPath, help: "The ONNX file inside the model folder, e.g. onnx/model_O4.onnx (default: chosen by onnx.variant)."),
            choice("onnx.variant", \.onnx.variant, Settings.VariantName.allCases, name: \.rawValue, help: "Which ONNX file: fp32 (onnx/model.onnx, model.onnx), quantized (onnx/model_quantized.onnx, model_int8, model_qint8_*…), fp16, or auto (fp32, or quantized when onnx.quantized is true and there is one)."),
            optionalBool("onnx.quantized", \.onnx.quantized, help: "With onnx.variant auto: prefer a quantized file when the model has one."),
            int("onnx.intra_op_num_threads", \.onnx.intraOpNumThreads, min: 0, help: "Threads inside one operator; 0: ONNX Runtime's choice (one per physical core)."),
            int("onnx.inter_op_num_threads", \.onnx.interOpNumThreads, min: 0, help: "Threads across operators (parallel execution mode only); 0: ONNX Runtime's choice."),
            choice("onnx.graph_optimization_level", \.onnx.graphOptimizationLevel, ORTSessionOptions.GraphOptimizationLevel.allCases, name: \.description, help: "Graph optimisations applied when the session is created."),
            choice("onnx.execution_mode", \.onnx.executionMode, ORTSessionOptions.ExecutionMode.allCases, name: { $0 == .sequential ? "sequential" : "parallel" }, help: "Run operators one after the other or in parallel."),
            bool("onnx.optimized_cache", \.onnx.optimizedCache, help: "Keep ONNX Runtime's optimised graph of each model (CPU sessions), with its weights in a file ONNX Runtime maps instead of copying: later starts are faster and use less memory. A changed model or runtime gets a new entry; the entries of a model file that changed or was deleted are removed."),
            optionalString("onnx.optimized_cache_dir", \.onnx.optimizedCacheDir, help: "Where the optimised graphs are kept (default: $XDG_CACHE_HOME/swift-embed/optimized, else ~/.cache/swift-embed/optimized)."),
            optionalBool("onnx.memory_arena", \.onnx.memoryArena, help: "ONNX Runtime's CPU memory arena and memory patterns (default: on; off for embed serve, where batches of ever-changing shapes make them grow)."),
            optionalBool("onnx.spinning", \.onnx.spinning, help: "Let ONNX Runtime's threads spin between runs (default: on; off for embed serve, where spinning takes CPU from the event loops and the tokenizer)."),
            int("batch.max_size", \.batch.maxSize, min: 1, help: "The most texts per model run; larger inputs are split."),
            bool("batch.sort_by_length", \.batch.sortByLength, help: "Group texts of similar length into batches (less padding; output order unchanged)."),
            int("batch.max_tokens", \.batch.maxTokens, min: 1, help: "The most padded tokens (texts × longest) in one model run; long texts go in smaller batches (the default was measured fastest on a CPU, offline and in embed serve; an input longer than this runs alone)."),
            optionalInt("batch.workers", \.batch.workers, min: 1, help: "Model runs at once (1…\(BatchingConfiguration.maxWorkers)), each on its own thread, with as many tokenization threads, offline and in the server (pair with onnx.intra_op_num_threads = cores ÷ workers). Default: \(Settings.workersDefault) (measured +21% requests/s at 64 connections, at a higher peak memory)."),
            optionalInt("max_length", \.maxLength, min: 1, help: "Maximum tokens per text, special tokens included; longer texts are truncated (default: the model's)."),
            optionalBool("normalize", \.normalize, help: "L2-normalise vectors (default: as the model's modules.json says; true for a bare .onnx file)."),
            optionalChoice("pooling", \.pooling, Pooling.Mode.allCases, name: \.rawValue, help: "Pooling instead of the model's 1_Pooling/config.json."),
            optionalString("prompt_name", \.promptName, help: "The prompt, by name (one of the model's prompts, e.g. query or passage; see `embed inspect`), put before texts that choose none (default: the model's default_prompt_name, if any)."),
            prompt,
            bool("registry", \.registry, help: "Let the built-in registry of known models (`embed models`) fill what a known model's own files do not say (e.g. BGE's query prompt); each value taken is logged."),
            string("cache_dir", \.cacheDir, help: "The hub cache folder, shared with the Hugging Face tools (default: HF_HUB_CACHE, HF_HOME/hub, ~/.cache/huggingface/hub)."),
            bool("offline", \.offline, help: "Use the hub cache only, never the network (also HF_HUB_OFFLINE=1)."),
            endpoint,
            token,
            fallback,
            int("hashing.dimension", \.hashing.dimension, min: 1, help: "The size of the hashing engine's vectors."),
            int("images.max_bytes", \.images.maxBytes, min: 1, help: "The largest encoded image accepted, in bytes (models with a vision tower, such as CLIP)."),
            int("images.max_pixels", \.images.maxPixels, min: 1, help: "The most pixels (width × height) an image may declare; larger ones (decompression bombs) are refused before decoding."),
            bool("images.exif_orientation", \.images.exifOrientation, help: "Apply the EXIF orientation of images (photos upright); transformers' CLIP processor does not."),
            optionalChoice("log_level", \.logLevel, Logger.Level.allCases, name: \.rawValue, help: "Log level; logs go to standard error (default: warning; info for embed serve, one line per request)."),
            string("server.host", \.server.host, help: "embed serve: the address to listen on."),
            int("server.port", \.server.port, min: 0, max: 65_535, help: "embed serve: the port to listen on (0: any free port)."),
            secret("server.api_key", \.server.apiKey, help: "embed serve: require 'Authorization: Bearer <key>' on every route but /health."),
            optionalString("server.model_id", \.server.modelID, help: "embed serve: the name the model is served under (default: the model's id or folder name)."),
            number("server.max_padding_ratio", \.server.maxPaddingRatio, min: 1, help: "embed serve: the most padded tokens per real token in one model run; longer inputs wait for a batch of their own length."),
            int("server.max_client_batch_size", \.server.maxClientBatchSize, min: 1, help: "embed serve: the most inputs in one request (more: 413)."),
            int("server.max_concurrent_requests", \.server.maxConcurrentRequests, min: 1, help: "embed serve: the most requests admitted at once (more: 429)."),
            int("server.payload_limit", \.server.payloadLimit, min: 1, help: "embed serve: the largest request body in bytes (more: 413)."),
            bool("server.truncate", \.server.truncate, help: "embed serve: cut inputs longer than the model's maximum when a request does not say; false refuses them (413)."),
            bool("server.refuse_empty_strings", \.server.refuseEmptyStrings, help: "embed serve: refuse empty strings as inputs (400) instead of embedding them."),
            choice("server.openai_token_ids", \.server.openAITokenIDs, OpenAITokenIDs.allCases, name: \.rawValue, help: "embed serve: what token-id arrays on /v1/embeddings are: cl100k_base (OpenAI's ids, as LangChain sends them: decoded to text, then embedded; refused with a 400 when no cl100k_base.tiktoken is found) or model (this model's own ids, as TEI's /embed takes them)."),
            optionalString("server.tiktoken_file", \.server.tiktokenFile, help: "embed serve: cl100k_base.tiktoken (default: the project's .cache/tiktoken, then tiktoken's own cache: TIKTOKEN_CACHE_DIR, DATA_GYM_CACHE_DIR, $TMPDIR/data-gym-cache)."),
            int("server.cache_entries", \.server.cacheEntries, min: 0, help: "embed serve: the most vectors kept in the LRU cache (0: no cache)."),
            int("server.cache_bytes", \.server.cacheBytes, min: 0, help: "embed serve: the most bytes of vectors kept in the LRU cache (0: no cache)."),
            optionalString("toolchain.python", \.toolchain.python, help: "The Python that `embed convert` and `embed quantize` run (it needs scripts/requirements.txt: torch, transformers, sentence-transformers, onnx, onnxruntime); default: .cache/venv/bin/python of the swift-embed checkout (EMBED_SETUP_DIR/venv when set), found from the current folder or the executable's."),
            optionalString("toolchain.scripts", \.toolchain.scripts, help: "The folder with convert_model.py and quantize_model.py; default: scripts/ of the swift-embed checkout, found from the current folder or the executable's."),
        ]
    }
}

// MARK: - Key builders

extension SettingKey {
    static func string(_ name: String, _ path: WritableKeyPath<Settings, String>, help: String) -> SettingKey {
        SettingKey(name: name, type: "string", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = try scalar(value)
        } render: { .scalar($0[keyPath: path]) }
    }

    static func optionalString(_ name: String, _ path: WritableKeyPath<Settings, String?>, help: String) -> SettingKey {
        SettingKey(name: name, type: "string or null", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = value == .null ? nil : try scalar(value)
        } render: { $0[keyPath: path].map(SettingValue.scalar) ?? .null }
    }

    static func bool(_ name: String, _ path: WritableKeyPath<Settings, Bool>, help: String) -> SettingKey {
        SettingKey(name: name, type: "boolean", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = try boolean(value)
        } render: { .scalar($0[keyPath: path] ? "true" : "false") }
    }

    static func optionalBool(_ name: String, _ path: WritableKeyPath<Settings, Bool?>, help: String) -> SettingKey {
        SettingKey(name: name, type: "boolean or null", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = value == .null ? nil : try boolean(value)
        } render: { $0[keyPath: path].map { .scalar($0 ? "true" : "false") } ?? .null }
    }

    static func int(_ name: String, _ path: WritableKeyPath<Settings, Int>, min: Int, max: Int? = nil, help: String) -> SettingKey {
        let type = max.map { "integer \(min)…\($0)" } ?? "integer ≥ \(min)"
        return SettingKey(name: name, type: type, help: help, isList: false) { (settings, value) throws(SettingsError) in
            let number = try integer(value, min: min)
            if let max, number > max { throw SettingsError("expected an integer from \(min) to \(max), got \(number)") }
            settings[keyPath: path] = number
        } render: { .scalar(String($0[keyPath: path])) }
    }

    static func number(_ name: String, _ path: WritableKeyPath<Settings, Double>, min: Double, help: String) -> SettingKey {
        // Not `min.formatted()`: locale-aware formatting loaded ICU's locale data at every start (~2.4 MB resident, measured).
        let shown = min == min.rounded() ? String(Int(min)) : String(min)
        return SettingKey(name: name, type: "number ≥ \(shown)", help: help, isList: false) { (settings, value) throws(SettingsError) in
            let text = try scalar(value)
            guard let number = Double(text), number.isFinite else { throw SettingsError("expected a number, got '\(text)'") }
            guard number >= min else { throw SettingsError("expected a number ≥ \(shown), got \(text)") }
            settings[keyPath: path] = number
        } render: { .scalar(String($0[keyPath: path])) }
    }

    /// An optional string that is never shown (rendered as `<redacted>`).
    static func secret(_ name: String, _ path: WritableKeyPath<Settings, String?>, help: String) -> SettingKey {
        SettingKey(name: name, type: "string or null", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = value == .null ? nil : try scalar(value)
        } render: { $0[keyPath: path] == nil ? .null : .scalar("<redacted>") }
    }

    static func optionalInt(_ name: String, _ path: WritableKeyPath<Settings, Int?>, min: Int, help: String) -> SettingKey {
        SettingKey(name: name, type: "integer ≥ \(min) or null", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = value == .null ? nil : try integer(value, min: min)
        } render: { $0[keyPath: path].map { .scalar(String($0)) } ?? .null }
    }

    static func choice<T>(
        _ name: String, _ path: WritableKeyPath<Settings, T>, _ cases: [T], name caseName: @escaping (T) -> String, help: String
    ) -> SettingKey {
        let names = cases.map(caseName)
        return SettingKey(name: name, type: "one of " + names.joined(separator: ", "), help: help, isList: false) {
            (settings, value) throws(SettingsError) in
            settings[keyPath: path] = try pick(value, cases, names)
        } render: { .scalar(caseName($0[keyPath: path])) }
    }

    static func optionalChoice<T>(
        _ name: String, _ path: WritableKeyPath<Settings, T?>, _ cases: [T], name caseName: @escaping (T) -> String, help: String
    ) -> SettingKey {
        let names = cases.map(caseName)
        return SettingKey(name: name, type: "one of " + names.joined(separator: ", ") + ", or null", help: help, isList: false) {
            (settings, value) throws(SettingsError) in
            settings[keyPath: path] = value == .null ? nil : try pick(value, cases, names)
        } render: { $0[keyPath: path].map { .scalar(caseName($0)) } ?? .null }
    }

    static var providers: SettingKey {
        let names = ORTExecutionProvider.byShortName.keys.sorted()
        return SettingKey(
            name: "onnx.providers", type: "list of " + names.joined(separator: ", "),
            help: "Execution providers in order of preference; each is used only if this ONNX Runtime has it and it registers, else the next (CPU last when fallback allows it).",
            isList: true
        ) { (settings, value) throws(SettingsError) in
            var providers: [ORTExecutionProvider] = []
            for item in try list(value) {
                guard let provider = ORTExecutionProvider.byShortName[item.lowercased()] else {
                    throw SettingsError("unknown execution provider '\(item)': expected \(names.joined(separator: ", "))")
                }
                if !providers.contains(provider) { providers.append(provider) }
            }
            guard !providers.isEmpty else { throw SettingsError("expected at least one of \(names.joined(separator: ", "))") }
            settings.onnx.providers = providers
        } render: { settings in
            .list(settings.onnx.providers.map { provider in
                ORTExecutionProvider.byShortName.first { $0.value == provider }?.key ?? provider.name
            })
        }
    }

    static var fallback: SettingKey {
        let options: [(String, EmbedderConfiguration.Fallback)] = [
            ("cpu", .cpu), ("fp32", .fp32), ("onnxruntime", .onnxRuntime), ("hashing", .hashing),
        ]
        return SettingKey(
            name: "fallback", type: "list of cpu, fp32, onnxruntime, hashing (or none)",
            help: "What may replace what fails at load: cpu (no configured provider works), fp32 (a quantized model fails), onnxruntime (runtime openvino is missing or cannot compile the model), hashing (the model cannot be used at all; vectors in another space).",
            isList: true
        ) { (settings, value) throws(SettingsError) in
            var fallback: EmbedderConfiguration.Fallback = []
            for item in try list(value) where item != "none" {
                guard let option = options.first(where: { $0.0 == item.lowercased() }) else {
                    throw SettingsError("unknown fallback '\(item)': expected cpu, fp32, onnxruntime, hashing or none")
                }
                fallback.insert(option.1)
            }
            settings.fallback = fallback
        } render: { settings in .list(options.filter { settings.fallback.contains($0.1) }.map(\.0)) }
    }

    static var prompt: SettingKey {
        SettingKey(
            name: "prompt", type: "string or null",
            help: "A literal prompt put before texts that choose none; \"\" for no prompt at all. Quote it in the environment or --set to keep a trailing space (EMBED_PROMPT='\"query: \"').",
            isList: false
        ) { (settings, value) throws(SettingsError) in
            if value == .null {
                settings.prompt = nil
                return
            }
            let text = try scalar(value)
            let quoted = text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"")
            settings.prompt = quoted ? String(text.dropFirst().dropLast()) : text
        } render: { $0.prompt.map(SettingValue.scalar) ?? .null }
    }

    static var endpoint: SettingKey {
        SettingKey(
            name: "hub.endpoint", type: "http(s) URL",
            help: "The Hugging Face compatible hub to download from (also HF_ENDPOINT).", isList: false
        ) { (settings, value) throws(SettingsError) in
            let text = try scalar(value)
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw SettingsError("expected an http or https URL, got '\(text)'")
            }
            settings.hub.endpoint = text
        } render: { .scalar($0.hub.endpoint) }
    }

    static var token: SettingKey {
        secret(
            "hub.token", \.hub.token,
            help: "A hub access token, sent as a bearer header; gated and private models need one (also HF_TOKEN, HF_HOME/token).")
    }
}

// MARK: - Value parsing

extension SettingKey {
    static func scalar(_ value: SettingValue) throws(SettingsError) -> String {
        switch value {
        case .scalar(let text): return text
        case .list: throw SettingsError("expected a single value, got a list")
        case .null: throw SettingsError("expected a value, got null")
        }
    }

    static func list(_ value: SettingValue) throws(SettingsError) -> [String] {
        switch value {
        case .list(let items): return items
        case .scalar(let text):
            if case .list(let items) = SettingValue.text(text, listKey: true) { return items }
            return []
        case .null: return []
        }
    }

    static func boolean(_ value: SettingValue) throws(SettingsError) -> Bool {
        let text = try scalar(value).lowercased()
        if ["true", "yes", "on", "1"].contains(text) { return true }
        if ["false", "no", "off", "0"].contains(text) { return false }
        throw SettingsError("expected true or false, got '\(text)'")
    }

    static func integer(_ value: SettingValue, min: Int) throws(SettingsError) -> Int {
        let text = try scalar(value)
        guard let number = Int(text) else { throw SettingsError("expected an integer, got '\(text)'") }
        guard number >= min else { throw SettingsError("expected an integer ≥ \(min), got \(number)") }
        return number
    }

    static func pick<T>(_ value: SettingValue, _ cases: [T], _ names: [String]) throws(SettingsError) -> T {
        let text = try scalar(value)
        guard let index = names.firstIndex(where: { $0.lowercased() == text.lowercased() }) else {
            throw SettingsError("expected one of \(names.joined(separator: ", ")), got '\(text)'")
        }
        return cases[index]
    }
}
