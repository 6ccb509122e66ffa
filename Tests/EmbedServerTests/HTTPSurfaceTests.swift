import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// HEAD on GET routes, 405 with `Allow` for another method on a known path.
struct HTTPSurfaceTests {
    typealias H = ServerHarness

    @Test func headAnswersEveryGetRouteWithoutABody() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            let models = try #require(try H.object(try await client.execute(uri: "/v1/models", method: .get)) as? [String: Any])
            let id = try #require((models["data"] as? [[String: Any]])?.first?["id"] as? String)
            for uri in ["/health", "/", "/info", "/v1/models", "/v1/models/\(id)", "/metrics"] {
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
}
