import EmbedEngine
@testable import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// docs/openapi.json against the server: the served document is the committed file, it
/// documents exactly the registered routes, its references resolve, and the operations it
/// marks open are the ones that need no API key.
struct OpenAPIDocumentTests {
    typealias H = ServerHarness

    static let file = TestPaths.repositoryRoot.appendingPathComponent("docs/openapi.json")
    static let methods = ["get", "head", "post", "put", "patch", "delete", "options", "trace"]

    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: file)) as? [String: Any])
    }

    /// Every (method, path) the document has an operation for, e.g. `post /embed`.
    static func operations(_ document: [String: Any]) throws -> [String: [String: Any]] {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var result: [String: [String: Any]] = [:]
        for (path, item) in paths {
            for method in methods {
                if let operation = item[method] as? [String: Any] { result["\(method) \(path)"] = operation }
            }
        }
        return result
    }

    @Test func theDocumentCarriesTheVersion() throws {
        let info = try #require(try Self.document()["info"] as? [String: Any])
        #expect(info["version"] as? String == SwiftEmbed.version, "docs/openapi.json info.version")
    }

    @Test func theServedDocumentIsTheCommittedFile() async throws {
        let committed = try String(contentsOf: Self.file, encoding: .utf8)
        #expect(OpenAPIDocument.json == committed, "run scripts/gen-openapi-swift.sh after editing docs/openapi.json")
        let configuration = ServerConfiguration(apiKey: "secret")
        try await H.withServer(try await H.hashingEmbedder(), configuration: configuration) { client, _ in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok, "served without the API key")
            #expect(response.headers[.contentType] == "application/json")
            #expect(String(buffer: response.body) == committed)
        }
    }

    @Test func itDocumentsExactlyTheRegisteredRoutes() async throws {
        let documented = Set(try Self.operations(try Self.document()).keys)
        let server = try EmbeddingServer(
            configuration: .init(), embedder: try await H.hashingEmbedder(), logger: TestRuntime.logger,
            metrics: { "" })
        let registered = Set(server.makeRouter().table.registered.flatMap { route in
            route.methods.map { "\($0.rawValue.lowercased()) \(route.path)" }
        })
        #expect(registered.count >= 20, "the table lists every route, HEAD included: \(registered.sorted())")
        #expect(registered.subtracting(documented).isEmpty, "registered, not documented: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "documented, not registered: \(documented.subtracting(registered).sorted())")
    }

    @Test func everyReferenceResolves() throws {
        let document = try Self.document()
        var references: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["$ref"] as? String { references.append(reference) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(document)
        #expect(references.count > 100)
        for reference in Set(references) {
            #expect(reference.hasPrefix("#/"), "\(reference) is local")
            var node: Any = document
            for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
                let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                guard let next = (node as? [String: Any])?[key] else {
                    Issue.record("\(reference) does not resolve at '\(key)'")
                    break
                }
                node = next
            }
        }
        let openapi = document["openapi"] as? String
        #expect(openapi?.hasPrefix("3.1.") == true)
    }

    /// With a key set, an operation the document marks open (`security: []`) answers without
    /// it, and every other one is a 401 (asked without a body: the key is checked first).
    @Test func theOpenOperationsAreTheOnesWithoutTheKey() async throws {
        let operations = try Self.operations(try Self.document()).map { name, operation in
            let responses = operation["responses"] as? [String: Any]
            return (name: name, open: (operation["security"] as? [Any])?.isEmpty == true, has401: responses?["401"] != nil)
        }
        #expect(operations.filter(\.open).count == 8, "GET and HEAD of /health, /, /openapi.json and /docs")
        let configuration = ServerConfiguration(apiKey: "secret")
        try await H.withServer(try await H.hashingEmbedder(), configuration: configuration) { client, _ in
            for operation in operations {
                let parts = operation.name.split(separator: " ", maxSplits: 1)
                let method = try #require(HTTPRequest.Method(String(parts[0]).uppercased()))
                let uri = parts[1].replacingOccurrences(of: "{id}", with: "some-model")
                let response = try await client.execute(uri: uri, method: method)
                if operation.open {
                    #expect(response.status == .ok, "\(operation.name) is documented as open")
                } else {
                    #expect(response.status == .unauthorized, "\(operation.name) is documented as needing the key")
                    #expect(operation.has401, "\(operation.name) documents its 401")
                }
            }
        }
    }

    @Test func theDocsPageLoadsNothingButTheDocument() async throws {
        try await H.withServer(try await H.hashingEmbedder(), configuration: ServerConfiguration(apiKey: "secret")) { client, _ in
            let response = try await client.execute(uri: "/docs", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let page = String(buffer: response.body)
            #expect(page.contains(#"fetch("openapi.json")"#))
            #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("src="), "no external resource")
        }
    }
}
