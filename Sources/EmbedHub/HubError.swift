/// The one error type of `EmbedHub`.
public struct HubError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// The model id is not a valid repository id (or could escape the cache folder).
        case invalidModelID
        /// The hub has no such model, revision or file (HTTP 404).
        case notFound
        /// The hub refused access (HTTP 401/403): a gated or private model needs a token.
        case unauthorized
        /// The hub could not be reached or answered with an unexpected status.
        case network
        /// A downloaded file does not have the checksum the hub gave for it.
        case checksumMismatch
        /// Offline mode, and the cache does not hold what is needed.
        case notCached
        /// The repository has no ONNX model.
        case noONNXModel
        /// A cache file could not be written or read.
        case io
    }

    /// The kind of failure.
    public var code: Code
    /// A message naming the model, file or URL at fault and what to do about it.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
