import Foundation
public import Hummingbird

extension ServerError: HTTPResponseError {
    /// The HTTP status of the error's kind.
    public var status: HTTPResponse.Status { kind.status }

    /// OpenAI's error body with the kind's status.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response
    }

    /// OpenAI's error body with the kind's status.
    var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if kind == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if case .methodNotAllowed(let allowed) = kind { headers[.allow] = allowed.joined(separator: ", ") }
        return Response(status: status, headers: headers, body: .init(byteBuffer: jsonBody))
    }

    /// The JSON of the error body.
    var jsonBody: ByteBuffer {
        let body = Body(error: .init(message: message, type: kind.type, param: parameter, code: kind.code))
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":{"message":"internal error"}}"#.utf8)
        return ByteBuffer(bytes: data)
    }

    private struct Body: Encodable {
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
        case .methodNotAllowed: .methodNotAllowed
        case .forbidden, .hostNotAllowed: .forbidden
        case .unsupported: .unprocessableContent
        case .overloaded: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .clientClosedRequest: HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
        case .http(let status): status
        case .invalidConfiguration, .internalError: .internalServerError
        }
    }

    /// OpenAI's `type` field.
    var type: String {
        switch self {
        case .invalidRequest, .inputTooLong, .tooManyInputs, .payloadTooLarge, .notFound, .methodNotAllowed, .unsupported:
            "invalid_request_error"
        case .forbidden, .hostNotAllowed: "permission_error"
        case .unauthorized: "authentication_error"
        case .overloaded: "rate_limit_error"
        case .unavailable: "service_unavailable"
        case .clientClosedRequest: "client_closed_request"
        case .http(let status): status.code < 500 ? "invalid_request_error" : "server_error"
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
        case .methodNotAllowed: "method_not_allowed"
        case .forbidden: "origin_not_allowed"
        case .hostNotAllowed: "host_not_allowed"
        case .unsupported: "unsupported_by_model"
        case .overloaded: "overloaded"
        case .unavailable: "unavailable"
        case .clientClosedRequest: "client_closed_request"
        case .http(let status): "http_\(status.code)"
        case .invalidConfiguration: "invalid_configuration"
        case .internalError: "internal_error"
        }
    }
}
