public import EmbedCore
public import EmbedORT

/// What was loaded: shown by `embed inspect`, logged at start, attached to results.
public struct ModelInfo: Sendable {
    /// A short name (the folder or file name).
    public var name: String
    /// The model folder or file.
    public var path: String
    /// The ONNX file that runs.
    public var onnxPath: String
    /// Its size in bytes.
    public var onnxFileSize: Int64
    /// The `tokenizer.json` used.
    public var tokenizerPath: String
    /// The size of the vectors returned.
    public var dimension: Int
    /// The maximum number of tokens per text and where that number comes from.
    public var maxLength: MaxLength
    /// The pooling applied, `nil` when the model outputs pooled vectors itself.
    public var pooling: Pooling?
    /// Whether vectors are L2-normalised, and why.
    public var normalize: Bool
    /// Why ``normalize`` has its value.
    public var normalizeSource: String
    /// The model's inputs.
    public var inputs: [ORTTensorInfo]
    /// The model's outputs.
    public var outputs: [ORTTensorInfo]
    /// The output read back.
    public var outputName: String
    /// The model's metadata.
    public var metadata: ORTModelMetadata
    /// The ONNX Runtime version and library file.
    public var runtimeVersion: String
    /// The ONNX Runtime library file.
    public var runtimePath: String
    /// The execution provider the session runs on.
    public var executionProvider: String
    /// The providers the runtime was built with.
    public var availableProviders: [String]
    /// Intra-op threads (0: ONNX Runtime's choice, one per physical core).
    public var intraOpThreads: Int

    /// The engine description attached to results.
    public var engine: String { "onnxruntime \(runtimeVersion) (\(executionProvider))" }
}
