/// The one error type of `EmbedCore`.
public struct EmbedCoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// A configuration file has an unknown key, a wrong type or an unsupported value.
        case invalidConfiguration
        /// Arrays whose sizes do not fit together (hidden states vs attention mask…).
        case shapeMismatch
        /// An argument out of range (a dimension larger than the vector…).
        case invalidArgument
    }

    /// The kind of failure.
    public var code: Code
    /// A message naming the file, key or value at fault.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
