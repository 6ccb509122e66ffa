public import EmbedEngine
public import Hummingbird

/// The one error type of `EmbedServer`: what a client did wrong or why the server cannot
/// answer, with the request field at fault. It renders itself (Hummingbird's
/// `HTTPResponseError`) as OpenAI's error body `{"error": {"message", "type", "param",
/// "code"}}`, with its status chosen in one place (``ServerError/Kind/status``), wherever it
/// is thrown.
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
        /// A known route asked with a method it does not answer: 405, with an `Allow` header
        /// listing the methods it does.
        case methodNotAllowed(allowed: [String])
        /// A cross-origin request from an origin that is not allowed (CORS): 403.
        case forbidden
        /// A `Host` header that is not one of the names the server answers (a guard against
        /// DNS rebinding): 403.
        case hostNotAllowed
        /// A request this server understands but cannot answer for this model (no tokenizer,
        /// a tokenizer decoder that is not implemented, no per-token outputs; the message
        /// says why): 422.
        case unsupported
        /// Too many requests in flight: 429.
        case overloaded
        /// Loading, draining on shutdown, or failing its health check: 503.
        case unavailable
        /// A server setting out of range (found at start, never from a request).
        case invalidConfiguration
        /// The client went away (or its request was cancelled) before the answer: 499, as
        /// nginx counts it (nobody reads the answer; the status is for logs and metrics).
        case clientClosedRequest
        /// Another HTTP error (from Hummingbird, say 405), which keeps its status.
        case http(HTTPResponse.Status)
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
    /// The server's view of an engine error; `inputField` is the route's name for its inputs
    /// (`input` on OpenAI's routes, `inputs` on TEI's).
    public init(_ error: EmbedError, inputField: String = "input") {
        let field: String? = switch error.subject {
        case .dimensions: "dimensions"
        case .prompt: "prompt_name"
        case .input, nil: inputField
        }
        switch error.code {
        case .invalidInput: self.init(.invalidRequest, error.message, parameter: field)
        case .inputTooLong: self.init(.inputTooLong, error.message, parameter: field)
        case .inputTooLarge: self.init(.payloadTooLarge, error.message, parameter: field)
        case .overloaded: self.init(.overloaded, error.message)
        case .unavailable: self.init(.unavailable, error.message)
        case .cancelled: self.init(.clientClosedRequest, "the client went away before the answer")
        case .modelNotFound, .invalidModel, .invalidConfiguration, .runtime, .download:
            self.init(.internalError, "the model failed to embed this request")
        }
    }

    /// The server error that `error` stands for: itself, an engine error mapped (inputs
    /// named `input`), another HTTP error with its own status, anything else internal.
    public static func wrapping(_ error: any Error) -> ServerError {
        switch error {
        case let error as ServerError: return error
        case let error as EmbedError: return ServerError(error)
        case let error as HTTPError:
            return ServerError(kind(of: error.status), error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            return ServerError(kind(of: error.status), error.status.reasonPhrase)
        default:
            return ServerError(.internalError, "internal error")
        }
    }

    private static func kind(of status: HTTPResponse.Status) -> Kind {
        switch status {
        case .notFound: .notFound
        case .contentTooLarge: .payloadTooLarge
        case .unauthorized: .unauthorized
        case .tooManyRequests: .overloaded
        case .serviceUnavailable: .unavailable
        default: status.code >= 500 ? .internalError : .http(status)
        }
    }

    /// Runs an engine call, turning its error into a server error for a route whose inputs
    /// are called `inputField`.
    static func engine<T>(
        inputField: String, _ body: () async throws(EmbedError) -> T
    ) async throws(ServerError) -> T {
        do {
            return try await body()
        } catch {
            throw ServerError(error, inputField: inputField)
        }
    }
}
