public import EmbedEngine

/// The one error type of `EmbedServer`: what a client did wrong or why the server cannot
/// answer, with the request field at fault. Rendered in OpenAI's error shape by
/// ``ErrorResponse``, with the status chosen in one place (``ServerError/Kind/status``).
public struct ServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong; each kind has one HTTP status.
    public enum Kind: Sendable, Equatable {
        /// Malformed JSON, invalid UTF-8, a wrong type, a missing or empty input, an unknown field: 400.
        case invalidRequest
        /// An input longer than the model's maximum while truncation is off: 413.
        case inputTooLong
        /// More inputs than the server takes in one request: 413.
        case tooManyInputs
        /// A body over the payload limit: 413.
        case payloadTooLarge
        /// A missing or wrong API key: 401.
        case unauthorized
        /// No such route or model: 404.
        case notFound
        /// Too many requests in flight: 429.
        case overloaded
        /// Loading, draining on shutdown, or failing its health check: 503.
        case unavailable
        /// A server setting out of range (found at start, never from a request).
        case invalidConfiguration
        /// The client went away (or its request was cancelled) before the answer: 499, as
        /// nginx counts it (nobody reads the answer; the status is for logs and metrics).
        case clientClosedRequest
        /// Anything else (the message says no more than that): 500.
        case internalError
    }

    /// The kind of failure.
    public var kind: Kind
    /// A message naming the field, index, count or limit at fault.
    public var message: String
    /// The request field at fault (`input`, `dimensions`…), when there is one.
    public var parameter: String?

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, parameter: String? = nil) {
        self.kind = kind
        self.message = message
        self.parameter = parameter
    }

    /// The message.
    public var description: String { message }
}

extension ServerError {
    /// The server's view of an engine error.
    public init(_ error: EmbedError) {
        switch error.code {
        case .invalidInput: self.init(.invalidRequest, error.message, parameter: Self.parameter(error.subject))
        case .inputTooLong: self.init(.inputTooLong, error.message, parameter: "input")
        case .overloaded: self.init(.overloaded, error.message)
        case .unavailable: self.init(.unavailable, error.message)
        case .cancelled: self.init(.clientClosedRequest, "the client went away before the answer")
        case .modelNotFound, .invalidModel, .invalidConfiguration, .runtime, .download:
            self.init(.internalError, "the model failed to embed this request")
        }
    }

    /// The request field an engine error is about (inputs unless the engine says otherwise).
    private static func parameter(_ subject: EmbedError.Subject?) -> String {
        switch subject {
        case .dimensions: "dimensions"
        case .prompt: "prompt_name"
        case .input, nil: "input"
        }
    }
}
