/// The one error type of `EmbedVision`: a `preprocessor_config.json` that cannot be used.
public struct VisionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Equatable {
        /// The file is not JSON, or a value has the wrong type.
        case invalidJSON
        /// A key this module does not know (it could change the pixels).
        case unknownKey
        /// A known key with a value this module does not implement (a resampling filter, a
        /// processor type, a size form).
        case unsupported
        /// A value out of range (a zero size, a zero standard deviation, three means needed).
        case invalidValue
    }

    /// The kind of failure.
    public var code: Code
    /// What failed, naming the key and the value.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
