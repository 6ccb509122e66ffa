import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// HEAD on GET routes, 405 with `Allow` for another method on a known path, and CORS.
struct HTTPSurfaceTests {
    typealias H = ServerHarness

    @Test func headAnswersEveryGetRouteWithoutABody() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            let models = try #require(try H.object(try await client.execute(uri: "/v1/models", method: .get)) as? [String: Any])
            let id = try #require((models["data"] as? [[String: Any]])?.first?["id"] as? String)
            for uri in ["/health", "/", "/info", "/v1/models", "/v1/models/\(id)", "/metrics", "/openapi.json", "/docs"] {
                let get = try await client.execute(uri: uri, method: .get)
                let head = try await client.execute(uri: uri, method: .head)
                #expect(get.status == .ok, "GET \(uri)")
                #expect(head.status == .ok, "HEAD \(uri)")
                #expect(head.body.readableBytes == 0, "HEAD \(uri) has no body")
                #expect(head.headers[.contentType] == get.headers[.contentType], "HEAD \(uri)")
            }
        }
    }

    @Test func aWrongMethodOnAKnownPathIs405WithAllow() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            let cases: [(String, HTTPRequest.Method, String)] = [
                ("/embed", .get, "POST"), ("/v1/embeddings", .put, "POST"), ("/decode", .get, "POST"),
                ("/health", .delete, "GET, HEAD"), ("/v1/models/anything", .post, "GET, HEAD"),
                ("/", .put, "GET, HEAD, POST"), ("/similarity", .options, "POST"),
            ]
            for (uri, method, allowed) in cases {
                let response = try await client.execute(uri: uri, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allowed, "\(method) \(uri)")
                let error = try H.error(response)
                #expect(error["code"] as? String == "method_not_allowed")
                #expect((error["message"] as? String)?.contains("\(method.rawValue) is not allowed on \(uri)") == true)
            }
            #expect(try await client.execute(uri: "/nowhere", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/v1/models/a/b", method: .get).status == .notFound)
        }
    }

    /// TEI's health routes (`GET /`, and `/health`) need no key, HEAD included; the rest do.
    @Test func healthChecksNeedNoKey() async throws {
        let configuration = ServerConfiguration(apiKey: "secret")
        try await H.withServer(try await H.hashingEmbedder(), configuration: configuration) { client, _ in
            for uri in ["/", "/health"] {
                let get = try await client.execute(uri: uri, method: .get)
                let head = try await client.execute(uri: uri, method: .head)
                #expect(get.status == .ok, "GET \(uri)")
                #expect(head.status == .ok, "HEAD \(uri)")
            }
            #expect(try await H.post(client, "/", ["inputs": "a"]).status == .unauthorized)
            #expect(try await client.execute(uri: "/info", method: .head).status == .unauthorized)
        }
    }

    @Test func corsIsOffByDefault() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            let response = try await H.post(client, "/embed", ["inputs": "a"], headers: [.origin: "https://app.example"])
            #expect(response.status == .ok)
            #expect(response.headers[.accessControlAllowOrigin] == nil)
            let preflight = try await client.execute(
                uri: "/embed", method: .options,
                headers: [.origin: "https://app.example", .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .methodNotAllowed)
        }
    }

    @Test func listedOriginsGetCORSHeadersOthersA403() async throws {
        let configuration = ServerConfiguration(apiKey: "secret", corsAllowOrigins: ["https://app.example"])
        try await H.withServer(try await H.hashingEmbedder(), configuration: configuration) { client, _ in
            let preflight = try await client.execute(
                uri: "/embed", method: .options,
                headers: [.origin: "https://app.example", .accessControlRequestMethod: "POST",
                          .accessControlRequestHeaders: "content-type, authorization"])
            #expect(preflight.status == .noContent, "answered before the API key is asked for")
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            #expect(preflight.headers[.vary] == "Origin")

            let allowed = try await H.post(
                client, "/embed", ["inputs": "a"],
                headers: [.origin: "https://app.example", .authorization: "Bearer secret"])
            #expect(allowed.status == .ok)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example")

            let unauthorized = try await H.post(client, "/embed", ["inputs": "a"], headers: [.origin: "https://app.example"])
            #expect(unauthorized.status == .unauthorized)
            #expect(unauthorized.headers[.accessControlAllowOrigin] == "https://app.example", "a page can read the error")

            let other = try await H.post(
                client, "/embed", ["inputs": "a"],
                headers: [.origin: "https://evil.example", .authorization: "Bearer secret"])
            #expect(other.status == .forbidden)
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            #expect(try H.error(other)["code"] as? String == "origin_not_allowed")

            let noOrigin = try await H.post(client, "/embed", ["inputs": "a"], headers: [.authorization: "Bearer secret"])
            #expect(noOrigin.status == .ok, "requests without Origin (not from a browser page) are not CORS")
            #expect(noOrigin.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func aStarAllowsEveryOrigin() async throws {
        let configuration = ServerConfiguration(corsAllowOrigins: ["*"])
        try await H.withServer(try await H.hashingEmbedder(), configuration: configuration) { client, _ in
            let response = try await H.post(client, "/embed", ["inputs": "a"], headers: [.origin: "https://any.example"])
            #expect(response.status == .ok)
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            #expect(response.headers[.vary] == nil)
        }
    }

    @Test func badOriginsAreAConfigurationError() {
        for origins in [["example.com"], [""], ["https://ok.example", "nope"]] {
            #expect(throws: ServerError.self, "\(origins)") {
                try ServerConfiguration(corsAllowOrigins: origins).validate()
            }
        }
        #expect(throws: Never.self) { try ServerConfiguration(corsAllowOrigins: ["https://a.example:8443", "*"]).validate() }
    }
}
