public import EmbedTokenizers

/// How a text tower turns text into tokens: the model's own `tokenizer.json`
/// (``ModelTokenizer``), or the hashing engine's UTF-8 bytes.
public protocol TextTokenizing: Sendable {
    /// The tokens of `text`, special tokens included, cut as `truncation` says (`nil`: not cut).
    func encode(_ text: String, truncation: Truncation?) -> Encoding
    /// The token ids an input may use (`0..<vocabularySize`); `nil` when this tokenizer takes
    /// no token-id inputs.
    var vocabularySize: Int? { get }
    /// The id that pads rows to a batch's length.
    var padId: Int { get }
    /// The Hugging Face tokenizer behind it, if there is one (`/tokenize`, `embed tokenize`).
    var tokenizer: Tokenizer? { get }
    /// The tokens an encoding counts for in usage reports (by default all of them, special
    /// tokens included).
    func usageCount(of encoding: Encoding) -> Int
}

extension TextTokenizing {
    /// All the tokens, special tokens included.
    public func usageCount(of encoding: Encoding) -> Int { encoding.count }
}

/// A model's own tokenizer with the id it pads with.
public struct ModelTokenizer: TextTokenizing {
    /// The tokenizer.
    public let base: Tokenizer
    /// The padding id: the tokenizer's configured padding, else `[PAD]` or `<pad>`, else 0.
    public let padId: Int

    /// Wraps `tokenizer`, finding its padding id.
    public init(_ tokenizer: Tokenizer) {
        base = tokenizer
        padId = tokenizer.configuredPadding?.padId
            ?? tokenizer.id(forToken: "[PAD]") ?? tokenizer.id(forToken: "<pad>") ?? 0
    }

    /// Wraps `tokenizer` with the padding id its model's files name (SigLIP:
    /// `tokenizer_config.json` `pad_token`).
    public init(_ tokenizer: Tokenizer, padId: Int) {
        base = tokenizer
        self.padId = padId
    }

    public func encode(_ text: String, truncation: Truncation?) -> Encoding {
        base.encode(text, truncation: truncation)
    }

    public var vocabularySize: Int? { base.vocabularySize }

    public var tokenizer: Tokenizer? { base }
}
