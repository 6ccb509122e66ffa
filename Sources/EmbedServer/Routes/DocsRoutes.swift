import Hummingbird

/// `GET /openapi.json` (docs/openapi.json, built in: ``OpenAPIDocument``) and `GET /docs` (a
/// page listing its operations). Both describe the routes only, so they need no API key
/// (``APIKeyAuthenticator/isOpen(_:)``) and no model (answered while it loads).
struct DocsRoutes: Sendable {
    func register(on router: Router<ServerRequestContext>, table: RouteTable) {
        table.add(.get, "/openapi.json", on: router) { _, _ in
            Self.response(OpenAPIDocument.json, contentType: "application/json")
        }
        table.add(.get, "/docs", on: router) { _, _ in
            var response = Self.response(OpenAPIDocument.page, contentType: "text/html; charset=utf-8")
            // The page may load nothing but this server's document: no CDN, no other origin.
            response.headers[.contentSecurityPolicy] =
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'"
            return response
        }
    }

    private static func response(_ text: String, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
