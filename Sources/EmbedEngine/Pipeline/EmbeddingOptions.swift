public import EmbedTokenizers

/// Which prompt goes before each text, as sentence-transformers' `encode(prompt=…,
/// prompt_name=…)` does: E5 models want `query: ` or `passage: `, BGE models an instruction
/// before queries.
public enum PromptChoice: Sendable, Hashable {
    /// The embedder's configured default (``EmbedderConfiguration/defaultPrompt``), which by
    /// default is the model's own `default_prompt_name`, if any.
    case automatic
    /// One of the model's prompts by name (see ``ModelInfo/prompts``), e.g. `query`.
    case named(String)
    /// A literal text; an empty one means no prompt at all.
    case literal(String)

    /// No prompt.
    public static let none = PromptChoice.literal("")
}

/// How one request's inputs are embedded. Every field has a default.
public struct EmbeddingOptions: Sendable, Hashable {
    /// Whether inputs longer than the model's maximum are cut (`true`, as sentence-transformers
    /// does) or refused with ``EmbedError/Code/inputTooLong``.
    public var truncate: Bool
    /// Which end loses tokens when an input is cut.
    public var truncationDirection: Truncation.Direction
    /// Whether vectors are L2-normalised; `nil` follows the model.
    public var normalize: Bool?
    /// Matryoshka truncation: keep the first `dimensions` values (re-normalised when vectors
    /// are normalised); `nil` keeps them all. Checked against the model: 1 to its dimension.
    public var dimensions: Int?
    /// The prompt put before every text input (token-id inputs get none).
    public var prompt: PromptChoice

    /// Creates options.
    public init(
        truncate: Bool = true, truncationDirection: Truncation.Direction = .right, normalize: Bool? = nil,
        dimensions: Int? = nil, prompt: PromptChoice = .automatic
    ) {
        self.truncate = truncate
        self.truncationDirection = truncationDirection
        self.normalize = normalize
        self.dimensions = dimensions
        self.prompt = prompt
    }
}
