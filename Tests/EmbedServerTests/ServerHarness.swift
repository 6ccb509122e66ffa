@testable import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Starts the server in process (no socket) around an embedder and decodes its answers.
enum ServerHarness {
    /// The tiny BERT-shaped model of the fixtures (needs ONNX Runtime): 4 dimensions, max length 8.
    static func tinyEmbedder(_ batching: BatchingConfiguration = .init()) async throws -> Embedder {
        try await Embedder(
            .folder(TestPaths.fixture("tiny-model")), configuration: EmbedderConfiguration(batching: batching),
            logger: TestRuntime.logger)
    }

    /// The hashing engine (needs nothing): 16 dimensions.
    static func hashingEmbedder(
        _ batching: BatchingConfiguration = .init(), cache: EmbeddingCache.Configuration = .init()
    ) async throws -> Embedder {
        try await Embedder(
            .folder(TestPaths.fixture("tiny-model")),
            configuration: EmbedderConfiguration(batching: batching, cache: cache, engine: .hashing, hashingDimension: 16),
            logger: TestRuntime.logger)
    }

    /// Runs `body` with a client of a server over `embedder`.
    static func withServer<Value: Sendable>(
        _ embedder: Embedder, configuration: ServerConfiguration = .init(),
        _ body: @Sendable (any TestClientProtocol, EmbeddingServer) async throws -> Value
    ) async throws -> Value {
        let server = try EmbeddingServer(
            configuration: configuration, embedder: embedder, logger: TestRuntime.logger,
            metrics: { "# HELP test_metric from the test renderer\ntest_metric 1\n" })
        return try await server.makeApplication().test(.router) { client in try await body(client, server) }
    }

    /// A JSON body.
    static func json(_ object: Any) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }

    /// POSTs a JSON body.
    static func post(
        _ client: any TestClientProtocol, _ uri: String, _ object: Any, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: headers, body: try json(object))
    }

    /// The body parsed as JSON.
    static func object(_ response: TestResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView), options: [.fragmentsAllowed])
    }

    /// The `error` object of an OpenAI-shaped error body (and a check that it has that shape).
    static func error(_ response: TestResponse) throws -> [String: Any] {
        let body = try #require(try object(response) as? [String: Any], "error body is a JSON object")
        let error = try #require(body["error"] as? [String: Any], "error body has an 'error' object")
        #expect(error["message"] is String)
        #expect(error["type"] is String)
        #expect(error["code"] is String)
        #expect(error.keys.contains("param"))
        return error
    }

    /// Checks an error answer: its status, a JSON body of OpenAI's error shape, its `param`
    /// (when one is given) and that its message mentions each of `mentions`.
    static func expectError(
        _ response: TestResponse, _ status: HTTPResponse.Status, param: String? = nil, mentions: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        let error = try Self.error(response)
        if let param { #expect(error["param"] as? String == param, sourceLocation: sourceLocation) }
        let message = error["message"] as? String ?? ""
        for word in mentions {
            #expect(message.contains(word), "'\(message)' should mention '\(word)'", sourceLocation: sourceLocation)
        }
    }

    /// The vectors of an OpenAI embeddings answer (float format), by index.
    static func openAIVectors(_ response: TestResponse) throws -> [[Float]] {
        let body = try #require(try object(response) as? [String: Any])
        let data = try #require(body["data"] as? [[String: Any]])
        return try data.enumerated().map { position, item in
            #expect(item["object"] as? String == "embedding")
            #expect(item["index"] as? Int == position)
            let values = try #require(item["embedding"] as? [Double])
            return values.map { Float($0) }
        }
    }

    static func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5, _ comment: String = "") {
        #expect(actual.count == expected.count, "sizes \(actual.count) vs \(expected.count) \(comment)")
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance, "max difference \(worst) > tolerance \(tolerance) \(comment)")
    }
}
