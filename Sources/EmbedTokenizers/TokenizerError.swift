/// The one error type of `EmbedTokenizers`.
public struct TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// The tokenizer file could not be read.
        case unreadable
        /// The file is not valid JSON or does not have the expected structure.
        case invalidFormat
        /// The file uses a component (normalizer, pre-tokenizer, model, post-processor…) or
        /// an option of one that is not implemented. Never approximated.
        case unsupportedComponent
        /// A key this implementation does not know appears in a component.
        case unknownKey
        /// The configuration is inconsistent (a special token missing from the vocabulary…).
        case invalidConfiguration
        /// An argument is out of range (a maximum length too small for the special tokens…).
        case invalidArgument
    }

    /// The kind of failure.
    public var code: Code
    /// A message naming the component, key or value at fault.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
