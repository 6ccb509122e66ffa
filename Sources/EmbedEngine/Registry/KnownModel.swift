public import EmbedCore

/// What swift-embed knows about a published embedding model, from its model card and
/// files. The registry (``KnownModels``) only adds information: a model's own files always
/// win, and a value taken from here is logged as such.
public struct KnownModel: Sendable, Equatable {
    /// How far swift-embed runs the model.
    public enum Support: Sendable, Equatable {
        /// Its tokenizer and architecture are supported.
        case supported
        /// Supported once the named tokenizer components are implemented.
        case needsTokenizer(String)
        /// Not supported, and why.
        case unsupported(String)

        /// A short label for tables.
        public var label: String {
            switch self {
            case .supported: "yes"
            case .needsTokenizer: "tokenizer pending"
            case .unsupported: "no"
            }
        }
    }

    /// The hub id, e.g. `sentence-transformers/all-MiniLM-L6-v2`.
    public var id: String
    /// The transformer architecture (`config.json` `model_type`) and tokenizer model.
    public var architecture: String
    /// The size of the vectors.
    public var dimension: Int
    /// The pooling its sentence-transformers files describe.
    public var pooling: Pooling
    /// Whether its vectors are L2-normalised (a `Normalize` module).
    public var normalize: Bool
    /// The maximum number of tokens per text.
    public var maxLength: Int
    /// Prompts by name: the model's own `config_sentence_transformers.json` ones when it has
    /// them, else those its model card prescribes.
    public var prompts: [String: String]
    /// The license named on the model card.
    public var license: String
    /// The ONNX files the repository has (paths), as far as known.
    public var onnxFiles: [String]
    /// Whether swift-embed runs it.
    public var support: Support
    /// Facts that could not be checked against the model's own files or card ("unverified").
    public var unverified: [String]
    /// Where the facts come from.
    public var sources: [String]
    /// Anything else a user should know.
    public var notes: String

    /// Creates an entry.
    public init(
        id: String, architecture: String, dimension: Int, pooling: Pooling, normalize: Bool, maxLength: Int,
        prompts: [String: String], license: String, onnxFiles: [String], support: Support, unverified: [String],
        sources: [String], notes: String = ""
    ) {
        self.id = id
        self.architecture = architecture
        self.dimension = dimension
        self.pooling = pooling
        self.normalize = normalize
        self.maxLength = maxLength
        self.prompts = prompts
        self.license = license
        self.onnxFiles = onnxFiles
        self.support = support
        self.unverified = unverified
        self.sources = sources
        self.notes = notes
    }

    /// The part of the id after the owner, e.g. `all-MiniLM-L6-v2`.
    public var name: String { id.split(separator: "/").last.map(String.init) ?? id }
}
