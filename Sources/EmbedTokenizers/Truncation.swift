import EmbedCore

/// How long encodings are cut.
public struct Truncation: Sendable, Equatable, Decodable {
    /// Which end loses tokens.
    public enum Direction: String, Sendable, Equatable, Decodable {
        /// Keep the beginning (the default).
        case right = "Right"
        /// Keep the end.
        case left = "Left"
    }

    /// How the budget is shared between the two sequences of a pair.
    public enum Strategy: String, Sendable, Equatable, Decodable {
        /// Tokens are taken from the longer sequence (both are cut to half the budget
        /// when both are too long).
        case longestFirst = "LongestFirst"
        /// Only the first sequence is cut (an error when that is not enough).
        case onlyFirst = "OnlyFirst"
        /// Only the second sequence is cut (an error when that is not enough, or when
        /// there is no second sequence).
        case onlySecond = "OnlySecond"
    }

    /// The maximum number of tokens, special tokens included.
    public var maxLength: Int
    /// Which end is cut.
    public var direction: Direction
    /// How pairs are cut.
    public var strategy: Strategy
    /// Overlap of overflowing windows. Overflowing parts are not returned, and the kept
    /// part does not depend on the stride; the value is kept for fidelity to the file.
    public var stride: Int

    /// Creates a truncation rule.
    public init(maxLength: Int, direction: Direction = .right, strategy: Strategy = .longestFirst, stride: Int = 0) {
        self.maxLength = maxLength
        self.direction = direction
        self.strategy = strategy
        self.stride = stride
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["max_length", "direction", "strategy", "stride"], in: "truncation")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        maxLength = try container.value(Int.self, "max_length")
        direction = try container.optional(Direction.self, "direction") ?? .right
        strategy = try container.optional(Strategy.self, "strategy") ?? .longestFirst
        stride = try container.optional(Int.self, "stride") ?? 0
    }
}

/// How encodings of a batch are padded.
public struct Padding: Sendable, Equatable, Decodable {
    /// The length to pad to.
    public enum Strategy: Sendable, Equatable {
        /// The longest encoding of the batch.
        case batchLongest
        /// A fixed length (longer encodings are left as they are).
        case fixed(Int)
    }

    /// Which side receives the padding.
    public enum Direction: String, Sendable, Equatable, Decodable {
        /// After the tokens (the default).
        case right = "Right"
        /// Before the tokens.
        case left = "Left"
    }

    /// The length to pad to.
    public var strategy: Strategy
    /// Which side receives the padding.
    public var direction: Direction
    /// Round the padded length up to a multiple of this.
    public var padToMultipleOf: Int?
    /// The id of the padding token.
    public var padId: Int
    /// The type id of padding tokens.
    public var padTypeId: Int
    /// The padding token's text.
    public var padToken: String

    /// Creates a padding rule (defaults: batch longest, right, `[PAD]` = 0).
    public init(
        strategy: Strategy = .batchLongest, direction: Direction = .right, padToMultipleOf: Int? = nil,
        padId: Int = 0, padTypeId: Int = 0, padToken: String = "[PAD]"
    ) {
        self.strategy = strategy
        self.direction = direction
        self.padToMultipleOf = padToMultipleOf
        self.padId = padId
        self.padTypeId = padTypeId
        self.padToken = padToken
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(
            ["strategy", "direction", "pad_to_multiple_of", "pad_id", "pad_type_id", "pad_token"], in: "padding")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        if let name = try? container.value(String.self, "strategy") {
            guard name == "BatchLongest" else {
                throw TokenizerError(.invalidFormat, "padding strategy '\(name)' is unknown")
            }
            strategy = .batchLongest
        } else {
            let fixed = try container.value([String: Int].self, "strategy")
            guard let length = fixed["Fixed"], fixed.count == 1 else {
                throw TokenizerError(.invalidFormat, "padding strategy \(fixed) is unknown")
            }
            strategy = .fixed(length)
        }
        direction = try container.optional(Direction.self, "direction") ?? .right
        padToMultipleOf = try container.optional(Int.self, "pad_to_multiple_of")
        padId = try container.optional(Int.self, "pad_id") ?? 0
        padTypeId = try container.optional(Int.self, "pad_type_id") ?? 0
        padToken = try container.optional(String.self, "pad_token") ?? "[PAD]"
    }
}
