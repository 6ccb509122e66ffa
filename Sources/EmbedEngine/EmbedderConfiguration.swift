public import EmbedCore
public import EmbedORT

/// How an ``Embedder`` loads and runs its model. Every field has a default.
public struct EmbedderConfiguration: Sendable, Equatable {
    /// The most texts sent to the model in one run; larger inputs are split.
    public var maxBatchSize: Int
    /// The maximum number of tokens per text (special tokens included); `nil` uses the
    /// model's own (see ``MaxLength``). Longer texts are truncated.
    public var maxLength: Int?
    /// Whether vectors are L2-normalised; `nil` follows the model's `modules.json`
    /// (a `Normalize` module), and a bare ONNX file defaults to `true`.
    public var normalize: Bool?
    /// The pooling to use instead of the model's `1_Pooling/config.json`.
    public var pooling: Pooling?
    /// The ONNX file inside a model folder, relative to it; `nil` picks `onnx/model.onnx`,
    /// then `model.onnx`.
    public var onnxFile: String?
    /// Whether large inputs are grouped into batches of similar length (less padding,
    /// same results, output order unchanged).
    public var sortByLength: Bool
    /// ONNX Runtime session settings (threads, graph optimisation…).
    public var session: ORTSessionOptions
    /// Where to find the ONNX Runtime library.
    public var library: ORTLibraryConfiguration
    /// Whether one short text is embedded at load to check that the model runs and that its
    /// output has the expected size.
    public var checkOnLoad: Bool

    /// Creates a configuration.
    public init(
        maxBatchSize: Int = 32,
        maxLength: Int? = nil,
        normalize: Bool? = nil,
        pooling: Pooling? = nil,
        onnxFile: String? = nil,
        sortByLength: Bool = true,
        session: ORTSessionOptions = .init(),
        library: ORTLibraryConfiguration = .init(),
        checkOnLoad: Bool = true
    ) {
        self.maxBatchSize = maxBatchSize
        self.maxLength = maxLength
        self.normalize = normalize
        self.pooling = pooling
        self.onnxFile = onnxFile
        self.sortByLength = sortByLength
        self.session = session
        self.library = library
        self.checkOnLoad = checkOnLoad
    }
}
