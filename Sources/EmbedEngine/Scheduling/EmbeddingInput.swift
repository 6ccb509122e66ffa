public import EmbedTokenizers

/// One input to embed: a text, or token ids that are fed to the model as they are.
public enum EmbeddingInput: Sendable, Hashable {
    /// A text, tokenized with the model's tokenizer (special tokens added).
    case text(String)
    /// Token ids fed to the model as given: include the special tokens (`[CLS]` … `[SEP]`)
    /// if the model expects them, as `Embedder.encode` and the server's `/tokenize` return them.
    case tokenIds([Int])
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
    /// are normalised); `nil` keeps them all.
    public var dimensions: Int?
    /// The prompt put before every text input (token-id inputs get none); empty: the
    /// embedder's default, then the model's `default_prompt_name`.
    public var prompt: EmbedOptions

    /// Creates options.
    public init(
        truncate: Bool = true, truncationDirection: Truncation.Direction = .right, normalize: Bool? = nil,
        dimensions: Int? = nil, prompt: EmbedOptions = .init()
    ) {
        self.truncate = truncate
        self.truncationDirection = truncationDirection
        self.normalize = normalize
        self.dimensions = dimensions
        self.prompt = prompt
    }
}

/// The prompt put before a request's text inputs and the tokens it takes.
struct RequestPrompt: Sendable {
    var text: String
    var tokenCount: Int
}

/// An input checked and tokenized, ready to be batched.
struct PreparedInput: Sendable {
    /// What the model runs.
    enum Payload: Sendable {
        /// Tokens for the transformer.
        case tokens(Encoding)
        /// A text for the hashing engine.
        case text(String)
    }

    var payload: Payload
    /// The tokens counted for usage (words for the hashing engine).
    var tokenCount: Int
    /// The padded length this input adds to a batch (its token count).
    var length: Int
    /// Whether its vector is L2-normalised.
    var normalize: Bool
    /// The leading tokens that belong to the prompt (0: no prompt).
    var promptLength = 0
}
