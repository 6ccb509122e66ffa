public import EmbedCore
public import EmbedHub
public import EmbedORT

/// How an ``Embedder`` loads and runs its model. Every field has a default.
public struct EmbedderConfiguration: Sendable, Equatable {
    /// Which engine makes the vectors.
    public enum Engine: String, Sendable, Equatable, CaseIterable {
        /// The model, run by ONNX Runtime.
        case onnx
        /// The deterministic ``HashingEngine``: no model, no runtime, a different vector space.
        case hashing
    }

    /// Which runtime runs an ONNX model (``Engine/onnx``).
    public enum Runtime: String, Sendable, Equatable, CaseIterable {
        /// ONNX Runtime, with ``providers`` and ``session``.
        case onnxRuntime = "onnxruntime"
        /// OpenVINO on the CPU, with ``openVINO``; quantized models stay on ONNX Runtime.
        case openVINO = "openvino"
        /// Chosen per machine and model by measurement (``RuntimeCalibration``): ONNX Runtime
        /// f32, OpenVINO f32 or OpenVINO bf16, the fastest that keeps a cosine of at least
        /// 0.9999 against ONNX Runtime; the choice is cached beside the optimised-graph cache.
        case auto
    }

    /// What may replace what failed, when the model is loaded. Each fallback taken is
    /// logged and recorded in ``ModelInfo/fallbacks``.
    public struct Fallback: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// When no configured execution provider can be used, run on ONNX Runtime's CPU provider.
        public static let cpu = Fallback(rawValue: 1 << 0)
        /// When a quantized model fails to load or to run, load the folder's fp32 model.
        public static let fp32 = Fallback(rawValue: 1 << 1)
        /// When the model cannot be used at all, use the hashing engine (vectors in another space).
        public static let hashing = Fallback(rawValue: 1 << 2)
        /// When OpenVINO is missing or cannot compile the model, run it on ONNX Runtime.
        public static let onnxRuntime = Fallback(rawValue: 1 << 3)
    }

    /// The engine; `.hashing` needs no model (``ModelSource`` is then ignored).
    public var engine: Engine
    /// The runtime of ONNX models; ONNX Runtime by default.
    public var runtime: Runtime
    /// How OpenVINO compiles and runs the model, when it is the ``runtime``.
    public var openVINO: OpenVINOConfiguration
    /// Execution providers in order of preference; each is used only if the runtime reports
    /// it available and it registers without error.
    public var providers: [ORTExecutionProvider]
    /// The fallbacks allowed.
    public var fallback: Fallback
    /// The size of the hashing engine's vectors.
    public var hashingDimension: Int
    /// How requests are admitted, batched and run (size cap, token budget, workers…).
    public var batching: BatchingConfiguration
    /// The vector cache of online requests (zero entries or bytes: none).
    public var cache: EmbeddingCache.Configuration
    /// The maximum number of tokens per text (special tokens included); `nil` uses the
    /// model's own (see ``MaxLength``). Longer texts are truncated.
    public var maxLength: Int?
    /// Whether vectors are L2-normalised; `nil` follows the model's `modules.json`
    /// (a `Normalize` module), and a bare ONNX file defaults to `true`.
    public var normalize: Bool?
    /// The pooling to use instead of the model's `1_Pooling/config.json`.
    public var pooling: Pooling?
    /// The ONNX file inside a model folder, relative to it; `nil` lets ``variant`` choose.
    public var onnxFile: String?
    /// Which ONNX file of a folder or hub repository to use when ``onnxFile`` is `nil`: by
    /// default `onnx/model.onnx`, then `model.onnx`.
    public var variant: ONNXVariant
    /// Where hub model ids (``ModelSource/hub(_:revision:)``) are downloaded from and cached.
    public var hub: HubConfiguration
    /// Where ONNX Runtime's optimised graph is kept between runs (faster start, less memory;
    /// see ``OptimizedModelCache``); `nil`: not kept. The `embed` command uses
    /// ``OptimizedModelCache/defaultDirectory``.
    public var optimizedModelCache: OptimizedModelCache?
    /// ONNX Runtime session settings (threads, graph optimisation…).
    public var session: ORTSessionOptions
    /// Where to find the ONNX Runtime library.
    public var library: ORTLibraryConfiguration
    /// Whether one short text is embedded at load to check that the model runs and that its
    /// output has the expected size.
    public var checkOnLoad: Bool
    /// The prompt of calls that choose ``PromptChoice/automatic``; by default automatic too,
    /// so the model's own `default_prompt_name` applies. Checked against the model at load.
    public var defaultPrompt: PromptChoice
    /// Whether the registry of known models (`KnownModels`) may fill what a known model's
    /// files do not say (its prompts, pooling, normalisation, maximum length). Each value
    /// taken from it is logged; the model's own files always win.
    public var useRegistry: Bool
    /// How image inputs are accepted (size limits, EXIF orientation), for models with a
    /// vision tower.
    public var images: ImageInputConfiguration

    /// Creates a configuration.
    public init(
        batching: BatchingConfiguration = .init(),
        cache: EmbeddingCache.Configuration = .init(),
        maxLength: Int? = nil,
        normalize: Bool? = nil,
        pooling: Pooling? = nil,
        onnxFile: String? = nil,
        variant: ONNXVariant = .auto(preferQuantized: false),
        hub: HubConfiguration = .fromEnvironment(),
        session: ORTSessionOptions = .init(),
        optimizedModelCache: OptimizedModelCache? = nil,
        library: ORTLibraryConfiguration = .init(),
        checkOnLoad: Bool = true,
        engine: Engine = .onnx,
        runtime: Runtime = .onnxRuntime,
        openVINO: OpenVINOConfiguration = .init(),
        providers: [ORTExecutionProvider] = [.cpu],
        fallback: Fallback = [.cpu, .fp32, .onnxRuntime],
        hashingDimension: Int = 384,
        defaultPrompt: PromptChoice = .automatic,
        useRegistry: Bool = true,
        images: ImageInputConfiguration = .init()
    ) {
        self.batching = batching
        self.cache = cache
        self.maxLength = maxLength
        self.normalize = normalize
        self.pooling = pooling
        self.onnxFile = onnxFile
        self.variant = variant
        self.hub = hub
        self.session = session
        self.optimizedModelCache = optimizedModelCache
        self.library = library
        self.checkOnLoad = checkOnLoad
        self.engine = engine
        self.runtime = runtime
        self.openVINO = openVINO
        self.providers = providers
        self.fallback = fallback
        self.hashingDimension = hashingDimension
        self.defaultPrompt = defaultPrompt
        self.useRegistry = useRegistry
        self.images = images
    }
}
