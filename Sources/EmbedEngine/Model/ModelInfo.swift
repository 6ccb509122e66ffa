public import EmbedCore
public import EmbedORT

/// What was loaded: shown by `embed inspect`, logged at start, attached to results.
public struct ModelInfo: Sendable {
    /// A short name (the folder or file name, or `hashing`).
    public var name: String
    /// The model folder or file (empty for the hashing engine).
    public var path: String
    /// The size of the vectors returned.
    public var dimension: Int
    /// The maximum number of tokens per text and where that number comes from.
    public var maxLength: MaxLength
    /// The pooling applied, `nil` when the model outputs pooled vectors itself (or for hashing).
    public var pooling: Pooling?
    /// Whether vectors are L2-normalised.
    public var normalize: Bool
    /// Why ``normalize`` has its value.
    public var normalizeSource: String
    /// The engine description attached to results, e.g.
    /// `onnxruntime 1.31.1 (CPUExecutionProvider)` or `hashing (384 dimensions)`.
    public var engine: String
    /// ONNX Runtime details; `nil` for the hashing engine.
    public var runtime: RuntimeDetails?
    /// The fallbacks taken while loading, each with its reason.
    public var fallbacks: [String]
    /// The model's prompts (``EmbeddingOptions/prompt`` chooses one).
    public var prompts = PromptSet()
    /// The steps after pooling, e.g. `Dense 2_Dense (768 → 512, Tanh)`, `Normalize`.
    public var outputModules: [String] = []
    /// The id of the registry entry matched (see `KnownModels`), if any.
    public var knownModel: String?
    /// What was taken from the registry because the model's files do not say it.
    public var filledFromRegistry: [String] = []
    /// The towers found and the ONNX file that runs each (a text model: one; a CLIP model:
    /// a text and a vision tower, in one file or two). Empty for the hashing engine.
    public var towers: [TowerFile] = []
    /// The image–text family of the folder (`clip`, `siglip`, from `config.json`'s
    /// `model_type`); `nil` for a text model and the hashing engine.
    public var family: String?

    /// Describes a model; the details of an ONNX model (``runtime``) and of its loading
    /// (prompts, modules, registry) default to none.
    public init(
        name: String, path: String = "", dimension: Int, maxLength: MaxLength, pooling: Pooling? = nil, normalize: Bool,
        normalizeSource: String = "", engine: String, runtime: RuntimeDetails? = nil, fallbacks: [String] = []
    ) {
        self.name = name
        self.path = path
        self.dimension = dimension
        self.maxLength = maxLength
        self.pooling = pooling
        self.normalize = normalize
        self.normalizeSource = normalizeSource
        self.engine = engine
        self.runtime = runtime
        self.fallbacks = fallbacks
    }
}

/// How an ONNX model runs, and on which runtime.
public struct RuntimeDetails: Sendable {
    /// The ONNX file that runs.
    public var onnxPath: String
    /// Its size in bytes.
    public var onnxFileSize: Int64
    /// The `tokenizer.json` used.
    public var tokenizerPath: String
    /// The model's inputs.
    public var inputs: [ORTTensorInfo]
    /// The model's outputs.
    public var outputs: [ORTTensorInfo]
    /// The output read back.
    public var outputName: String
    /// The model's metadata.
    public var metadata: ORTModelMetadata
    /// Whether the model is quantized, and the evidence.
    public var quantization: QuantizationInfo
    /// The ONNX Runtime version.
    public var runtimeVersion: String
    /// The ONNX Runtime library file.
    public var runtimePath: String
    /// The execution provider the session was created with.
    public var executionProvider: String
    /// The providers the runtime was built with.
    public var availableProviders: [String]
    /// Intra-op threads (0: ONNX Runtime's choice, one per physical core).
    public var intraOpThreads: Int
    /// What the optimised graph cache did: loaded from it, saved to it, or why not (`nil`:
    /// no cache configured, or not a CPU session).
    public var optimizedGraph: String?
    /// The runtime: `onnxruntime` or `openvino`.
    public var runtime = "onnxruntime"
    /// The precision the runtime computes in when it reports one (OpenVINO: `f32`, `bf16`);
    /// `nil`: the model's own (ONNX Runtime on CPU).
    public var inferencePrecision: String?
}

/// Whether a model is quantized, and why we think so.
public struct QuantizationInfo: Sendable, Equatable {
    /// What points to quantization: the file name, a `quantization_config.json`, metadata,
    /// quantized operators in the graph. Empty when nothing does.
    public var evidence: [String]

    /// Whether anything points to quantization.
    public var isQuantized: Bool { !evidence.isEmpty }

    /// Creates the information.
    public init(evidence: [String]) {
        self.evidence = evidence
    }
}

/// A tower of a model and the ONNX file that runs it.
public struct TowerFile: Sendable, Equatable {
    /// The tower.
    public var tower: Tower
    /// The ONNX file.
    public var path: String
    /// The inputs fed to it.
    public var inputs: [String]
    /// The output read back.
    public var output: String
    /// Whether the file is quantized.
    public var quantized: Bool
    /// Whether the file runs the other tower too (a joint CLIP export): each run of one tower
    /// also feeds it one dummy row of the other.
    public var isJoint: Bool

    /// Describes a tower's file.
    public init(tower: Tower, path: String, inputs: [String], output: String, quantized: Bool, isJoint: Bool = false) {
        self.tower = tower
        self.path = path
        self.inputs = inputs
        self.output = output
        self.quantized = quantized
        self.isJoint = isJoint
    }
}
