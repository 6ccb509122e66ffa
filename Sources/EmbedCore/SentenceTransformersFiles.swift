/// One entry of a sentence-transformers `modules.json`.
public struct SentenceTransformersModule: Sendable, Equatable, Decodable {
    /// What a module does, from its Python class name.
    public enum Kind: Sendable, Equatable {
        /// The transformer itself (the ONNX graph).
        case transformer
        /// Pooling (`1_Pooling/config.json`).
        case pooling
        /// L2 normalisation.
        case normalize
        /// A dense layer after pooling.
        case dense
        /// Any other module, by its class name.
        case other(String)
    }

    /// The module's position.
    public var index: Int?
    /// The module's name.
    public var name: String?
    /// The module's folder, relative to the model folder.
    public var path: String
    /// The Python class name, e.g. `sentence_transformers.models.Pooling`.
    public var type: String

    /// The kind of module, from ``type``.
    public var kind: Kind {
        switch type.split(separator: ".").last.map(String.init) ?? type {
        case "Transformer": .transformer
        case "Pooling": .pooling
        case "Normalize": .normalize
        case "Dense": .dense
        default: .other(type)
        }
    }

    enum CodingKeys: String, CodingKey {
        case index = "idx", name, path, type
    }
}

/// What swift-embed reads from a transformers `config.json`. The file has dozens of
/// architecture-specific keys, so other keys are ignored here.
public struct TransformerConfiguration: Sendable, Equatable, Decodable {
    /// `bert`, `xlm-roberta`, `mpnet`…
    public var modelType: String?
    /// The size of the token vectors.
    public var hiddenSize: Int?
    /// The number of positions the model has embeddings for.
    public var maxPositionEmbeddings: Int?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", hiddenSize = "hidden_size", maxPositionEmbeddings = "max_position_embeddings"
    }
}

/// What swift-embed reads from `tokenizer_config.json` (other keys are ignored: the file
/// mostly carries Python class settings).
public struct TokenizerConfiguration: Sendable, Equatable, Decodable {
    /// The longest input the tokenizer was saved for. Often a huge placeholder (1e30).
    public var modelMaxLength: Double?

    enum CodingKeys: String, CodingKey {
        case modelMaxLength = "model_max_length"
    }
}

/// The maximum number of tokens per text, decided as sentence-transformers does.
public struct MaxLength: Sendable, Equatable, CustomStringConvertible {
    /// The number of tokens, special tokens included.
    public var value: Int
    /// Where it came from, for `embed inspect` and logs.
    public var source: String

    /// Creates a maximum length.
    public init(value: Int, source: String) {
        self.value = value
        self.source = source
    }

    /// `max_seq_length` of `sentence_bert_config.json` when set; otherwise the smaller of the
    /// tokenizer's `model_max_length` and the model's `max_position_embeddings`, or
    /// whichever of the two exists.
    public static func resolve(
        sentenceBert: SentenceBertConfiguration?, tokenizer: TokenizerConfiguration?, model: TransformerConfiguration?
    ) -> MaxLength? {
        if let value = sentenceBert?.maxSeqLength {
            return MaxLength(value: value, source: "sentence_bert_config.json max_seq_length")
        }
        let fromTokenizer = tokenizer?.modelMaxLength.flatMap { $0 >= 1 && $0 < 1e9 ? Int($0) : nil }
        let fromModel = model?.maxPositionEmbeddings
        switch (fromTokenizer, fromModel) {
        case (let t?, let m?):
            return t <= m
                ? MaxLength(value: t, source: "tokenizer_config.json model_max_length")
                : MaxLength(value: m, source: "config.json max_position_embeddings")
        case (let t?, nil): return MaxLength(value: t, source: "tokenizer_config.json model_max_length")
        case (nil, let m?): return MaxLength(value: m, source: "config.json max_position_embeddings")
        case (nil, nil): return nil
        }
    }

    /// For example `256 (sentence_bert_config.json max_seq_length)`.
    public var description: String { "\(value) (\(source))" }
}
