import EmbedEngine
import Foundation
public import Hummingbird

/// The one mapping from errors to HTTP: status, OpenAI's error body
/// `{"error": {"message", "type", "param", "code"}}` and the JSON bytes.
enum ErrorResponse {
    /// The server error that `error` stands for (engine errors are mapped, anything unknown is internal).
    static func serverError(for error: any Error) -> ServerError {
        switch error {
        case let error as ServerError: error
        case let error as EmbedError: ServerError(error)
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            ServerError(.payloadTooLarge, "the request body is larger than the server accepts")
        case let error as any HTTPResponseError where error.status == .notFound:
            ServerError(.notFound, "no such route")
        default: ServerError(.internalError, "internal error")
        }
    }

    /// The response for `error`.
    static func response(for error: ServerError) -> Response {
        let body = Body(
            error: .init(
                message: error.message, type: error.kind.type, param: error.parameter, code: error.kind.code))
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":{"message":"internal error"}}"#.utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if error.kind == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: error.kind.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            var message: String
            var type: String
            var param: String?
            var code: String

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(param, forKey: .param)  // null when absent, as OpenAI sends it
                try container.encode(code, forKey: .code)
            }

            enum CodingKeys: String, CodingKey { case message, type, param, code }
        }

        var error: Detail
    }
}

extension ServerError.Kind {
    /// The HTTP status of this kind.
    public var status: HTTPResponse.Status {
        switch self {
        case .invalidRequest: .badRequest
        case .inputTooLong, .tooManyInputs, .payloadTooLarge: .contentTooLarge
        case .unauthorized: .unauthorized
        case .notFound: .notFound
        case .overloaded: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .clientClosedRequest: HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
        case .invalidConfiguration, .internalError: .internalServerError
        }
    }

    /// OpenAI's `type` field.
    var type: String {
        switch self {
        case .invalidRequest, .inputTooLong, .tooManyInputs, .payloadTooLarge, .notFound: "invalid_request_error"
        case .unauthorized: "authentication_error"
        case .overloaded: "rate_limit_error"
        case .unavailable: "service_unavailable"
        case .clientClosedRequest: "client_closed_request"
        case .invalidConfiguration, .internalError: "server_error"
        }
    }

    /// A stable machine-readable `code`.
    var code: String {
        switch self {
        case .invalidRequest: "invalid_request"
        case .inputTooLong: "input_too_long"
        case .tooManyInputs: "too_many_inputs"
        case .payloadTooLarge: "payload_too_large"
        case .unauthorized: "invalid_api_key"
        case .notFound: "not_found"
        case .overloaded: "overloaded"
        case .unavailable: "unavailable"
        case .clientClosedRequest: "client_closed_request"
        case .invalidConfiguration: "invalid_configuration"
        case .internalError: "internal_error"
        }
    }
}
