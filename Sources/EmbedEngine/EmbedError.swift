/// The one error type of `EmbedEngine`.
///
/// Errors from the layers below (ONNX Runtime, the tokenizer, configuration parsing) are
/// wrapped, not flattened: ``underlying`` keeps the original error.
public struct EmbedError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// A model file or folder does not exist or cannot be read.
        case modelNotFound
        /// The model's files are inconsistent or not an embedding model (inputs, outputs,
        /// dimensions, unsupported modules…).
        case invalidModel
        /// A configuration value is out of range.
        case invalidConfiguration
        /// A caller's input is invalid (names the input index).
        case invalidInput
        /// ONNX Runtime failed to load or run the model.
        case runtime
        /// The work was cancelled.
        case cancelled
        /// A hub model could not be downloaded (network, access, checksum); ``underlying``
        /// holds the `HubError`.
        case download
        /// An input has more tokens than the model accepts and truncation is off (names the
        /// input, its token count and the limit).
        case inputTooLong
        /// An input is over a configured size limit other than tokens: an image's encoded
        /// bytes, its decoded pixels or a side (names the input, its size and the limit).
        case inputTooLarge
        /// The scheduler already holds as many requests as it admits; try again later.
        case overloaded
        /// The engine does not take new work: it is shutting down.
        case unavailable
    }

    /// The part of a call an ``Code/invalidInput`` error is about, for callers that point at
    /// a field (the server's `param`).
    public enum Subject: Sendable, Equatable {
        /// An input (the message names its index).
        case input
        /// The requested vector size.
        case dimensions
        /// The prompt or prompt name.
        case prompt
    }

    /// The kind of failure.
    public var code: Code
    /// What an invalid-input error is about (`nil`: not said).
    public var subject: Subject?
    /// A message naming the file, key, value or input at fault.
    public var message: String
    /// The error this one wraps, if any.
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, subject: Subject? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.subject = subject
        self.underlying = underlying
    }

    /// The message.
    public var description: String { message }
}
