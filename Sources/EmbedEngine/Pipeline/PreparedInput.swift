import EmbedTokenizers

/// One input to embed: a text, or token ids that are fed to the model as they are.
public enum EmbeddingInput: Sendable, Hashable {
    /// A text, tokenized with the model's tokenizer (special tokens added).
    case text(String)
    /// Token ids fed to the model as given: include the special tokens (`[CLS]` … `[SEP]`)
    /// if the model expects them, as `Embedder.encode` and the server's `/tokenize` return them.
    case tokenIds([Int])

    /// The tower that embeds this input.
    public var tower: Tower {
        switch self {
        case .text, .tokenIds: .text
        }
    }
}

/// A request's options checked against the model, once: the prompt resolved to its text,
/// normalisation decided, `dimensions` in range.
struct RequestPlan: Sendable {
    var options: EmbeddingOptions
    /// The text put before every text input (`nil`: none).
    var prompt: String?
    /// Whether the vectors are L2-normalised.
    var normalize: Bool
}

/// An input checked and tokenized, ready to be batched.
struct PreparedInput: Sendable {
    /// The tower it runs through.
    var tower: Tower
    /// Its tokens.
    var encoding: Encoding
    /// The tokens counted for usage.
    var tokenCount: Int
    /// Whether its vector is L2-normalised.
    var normalize: Bool
    /// The leading tokens that belong to the prompt (0: no prompt).
    var promptLength = 0

    /// The padded length this input adds to a batch.
    var length: Int { encoding.count }
}
