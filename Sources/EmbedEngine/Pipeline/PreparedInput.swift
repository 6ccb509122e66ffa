import EmbedTokenizers
public import Foundation

/// One input to embed: a text, token ids that are fed to the model as they are, or an
/// encoded image for a model with a vision tower (CLIP).
public enum EmbeddingInput: Sendable, Hashable {
    /// A text, tokenized with the model's tokenizer (special tokens added).
    case text(String)
    /// Token ids fed to the model as given: include the special tokens (`[CLS]` … `[SEP]`)
    /// if the model expects them, as `Embedder.encode` and the server's `/tokenize` return them.
    case tokenIds([Int])
    /// An encoded image (JPEG, PNG or WebP, recognised from its bytes), decoded and
    /// preprocessed as the model's `preprocessor_config.json` says.
    case image(Data)

    /// The tower that embeds this input.
    public var tower: Tower {
        switch self {
        case .text, .tokenIds: .text
        case .image: .vision
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

/// An input checked and tokenized (a text) or decoded and preprocessed (an image), ready to
/// be batched.
struct PreparedInput: Sendable {
    /// The tower it runs through.
    var tower: Tower
    /// Its tokens (none for an image).
    var encoding: Encoding
    /// The tokens counted for usage.
    var tokenCount: Int
    /// Whether its vector is L2-normalised.
    var normalize: Bool
    /// The leading tokens that belong to the prompt (0: no prompt).
    var promptLength = 0
    /// An image's `pixel_values` row, `[3, H, W]` float32, channels first (empty for a text).
    var pixels: [Float] = []

    /// The padded length this input adds to a batch: its tokens; 1 for an image, so that
    /// only the size cap limits a batch of images (every image has the same shape).
    var length: Int { tower == .vision ? 1 : encoding.count }
}

extension Encoding {
    /// No tokens (the encoding of an image input).
    static let none = Encoding(ids: [], typeIds: [], attentionMask: [], specialTokensMask: [], offsets: [])
}
