import EmbedCore
import EmbedEngine
import EmbedHub
import EmbedORT
import EmbedServer
import Foundation
import Logging

/// Every setting of the `embed` tool, typed, with its default. Values come from, in
/// increasing precedence: these defaults, a configuration file (`--config`, `EMBED_CONFIG`),
/// environment variables, command-line flags (see ``SettingsLoader``). The keys, their
/// types and defaults are listed by ``SettingKey/all`` and in `docs/configuration.md`.
struct Settings: Equatable {
    /// A model folder, a single `.onnx` file or a hub model id.
    var model: String?
    /// The hub revision (branch, tag or commit) of a model id.
    var revision = "main"
    /// The `tokenizer.json` of a single `.onnx` file.
    var tokenizer: String?
    var onnx = ONNX()
    /// ONNX Runtime, OpenVINO or chosen by measurement; `nil`: ONNX Runtime, auto for `embed serve`.
    var runtime: EmbedderConfiguration.Runtime?
    var openVINO = OpenVINO()
    var batch = Batch()
    /// `embed serve`: the shared vector cache on Redis.
    var redisCache = RedisCache()
    /// Maximum tokens per text; `nil`: the model's.
    var maxLength: Int?
    /// L2 normalisation; `nil`: as the model's `modules.json` says.
    var normalize: Bool?
    /// Pooling instead of the model's `1_Pooling/config.json`.
    var pooling: Pooling.Mode?
    /// The prompt, by name, for texts that choose none; `nil`: the model's default.
    var promptName: String?
    /// A literal prompt for texts that choose none.
    var prompt: String?
    /// Let the registry of known models fill what a known model's files do not say.
    var registry = true
    /// The hub cache folder (the one holding `models--owner--name`).
    var cacheDir: String
    /// Use the cache only, never the network.
    var offline = false
    var hub: Hub
    /// What may replace what fails at load.
    var fallback = EmbedderConfiguration().fallback
    var hashing = Hashing()
    var images = Images()
    /// The log level (logs go to standard error); `nil`: warning, info for `embed serve`.
    var logLevel: Logger.Level?
    /// How log lines are written: text, or one JSON object per line.
    var logFormat = LogFormat.text
    var server = Server()
    var fusion = FusionDefault()
    var imageURLs = ImageURLs()
    var toolchain = Toolchain()

    struct ONNX: Equatable {
        /// `false` uses the hashing engine instead of a model.
        var enabled = true
        /// Execution providers in order of preference.
        var providers: [ORTExecutionProvider] = [.cpu]
        /// The ONNX Runtime library (file or folder); `nil`: the usual search.
        var libraryPath: String?
        /// The ONNX file inside the model folder; `nil`: chosen by ``variant``.
        var modelPath: String?
        /// fp32, quantized, fp16 or auto.
        var variant = VariantName.auto
        /// With `variant: auto`, whether a quantized file is preferred when there is one.
        var quantized: Bool?
        var intraOpNumThreads = 0
        var interOpNumThreads = 0
        var graphOptimizationLevel = ORTSessionOptions.GraphOptimizationLevel.all
        var executionMode = ORTSessionOptions.ExecutionMode.sequential
        /// ONNX Runtime's CPU memory arena and memory patterns; `nil`: on, off for `embed serve`.
        var memoryArena: Bool?
        /// Whether ONNX Runtime's optimised graph is kept between runs (CPU only).
        var optimizedCache = true
        /// Where it is kept; `nil`: ``OptimizedModelCache/defaultDirectory``.
        var optimizedCacheDir: String?
        /// Whether ONNX Runtime's threads spin between runs; `nil`: yes, no for `embed serve`.
        var spinning: Bool?
    }

    /// Defaults from ``OpenVINOConfiguration``.
    struct OpenVINO: Equatable {
        var precision = OpenVINOConfiguration().precision
        var performanceHint = OpenVINOConfiguration().performanceHint
        /// `libopenvino_c` (file or folder); `nil`: the usual search.
        var libraryPath: String?
        /// Whether OpenVINO keeps compiled models between runs (start 0.24 s instead of 0.50 s).
        var modelCache = true
        /// Where; `nil`: ``Settings/defaultOpenVINOCacheDirectory``.
        var cacheDir: String?
    }

    /// The variant names of the configuration (``ONNXVariant`` without an explicit file).
    enum VariantName: String, CaseIterable {
        case auto, fp32, quantized, fp16
    }

    /// Defaults from ``BatchingConfiguration``.
    struct Batch: Equatable {
        /// The most texts per model run.
        var maxSize = BatchingConfiguration().maxBatchSize
        /// Group texts of similar length into batches (output order unchanged).
        var sortByLength = BatchingConfiguration().sortByLength
        /// Model runs at once, each on its own thread; `nil`: see ``Settings/parallelism(serving:)``.
        var workers: Int?
        /// The most padded tokens per model run.
        var maxTokens = BatchingConfiguration().maxBatchTokens
    }

    struct Hub: Equatable {
        var endpoint: String
        var token: String?
    }

    struct Hashing: Equatable {
        var dimension = 384
    }

    /// Defaults from ``ImageInputConfiguration``.
    struct Images: Equatable {
        var maxBytes = ImageInputConfiguration().maxBytes
        var maxPixels = ImageInputConfiguration().maxPixels
        var exifOrientation = ImageInputConfiguration().appliesOrientation
    }

    /// `embed serve`: the server's own settings, defaults from ``ServerConfiguration``, and
    /// the online batching and cache settings (defaults from ``BatchingConfiguration`` and
    /// ``EmbeddingCache/Configuration``), which only a server's requests use.
    struct Server: Equatable {
        var host = ServerConfiguration().host
        var port = ServerConfiguration().port
        var apiKey: String?
        var modelID: String?
        /// More models to serve beside `model`, each `[name=]model` (``servedModels(logger:sources:)``).
        var models: [String] = []
        var maxClientBatchSize = ServerConfiguration().maxClientBatchSize
        var payloadLimit = ServerConfiguration().payloadLimit
        var truncate = ServerConfiguration().truncateByDefault
        var refuseEmptyStrings = ServerConfiguration().refuseEmptyStrings
        var openAITokenIDs = ServerConfiguration().openAITokenIDs
        /// `cl100k_base.tiktoken`; `nil`: the search of ``TiktokenFileSearch``.
        var tiktokenFile: String?
        var maxPaddingRatio = BatchingConfiguration().maxPaddingRatio
        var maxConcurrentRequests = BatchingConfiguration().maxConcurrentRequests
        var cacheEntries = EmbeddingCache.Configuration().maxEntries
        var cacheBytes = EmbeddingCache.Configuration().maxBytes
        /// ``ServerTimeouts`` in seconds.
        var idleTimeout = ServerTimeouts().idle.inSeconds
        var bodyTimeout = ServerTimeouts().body.inSeconds
        var drainTimeout = ServerTimeouts().drain.inSeconds
        var corsAllowOrigins = ServerConfiguration().corsAllowOrigins
        var allowedHosts = ServerConfiguration().allowedHosts
        var maxTokenizeTokens = ServerConfiguration().maxTokenizeTokens
    }

    /// The Python tools of `embed convert` and `embed quantize`.
    struct Toolchain: Equatable {
        /// A Python with scripts/requirements.txt installed; `nil`: the project's `.cache/venv`.
        var python: String?
        /// The folder with convert_model.py and quantize_model.py; `nil`: the project's `scripts/`.
        var scripts: String?
    }

    /// The defaults; the hub cache and endpoint follow the Hugging Face tools' own defaults
    /// for this user (`~/.cache/huggingface/hub`), without the `HF_*` variables, which are
    /// read as environment settings.
    static func defaults(environment: [String: String]) -> Settings {
        let base = HubConfiguration.fromEnvironment(environment.filter { ["HOME", "XDG_CACHE_HOME"].contains($0.key) })
        return Settings(
            cacheDir: base.cacheDirectory.path, hub: Hub(endpoint: base.endpoint.absoluteString, token: base.token))
    }
}
