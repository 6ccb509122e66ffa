import EmbedCore
import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A server of several models: `model` chooses (absent: the first), `/v1/models` and
/// `/info` list them all, `/health` waits for all, a name twice stops the start. The
/// hashing engine needs no runtime; two dimensions tell the models apart.
struct MultiModelTests {
    typealias H = ServerHarness

    static func hashing(_ dimension: Int) async throws -> Embedder {
        try await Embedder(
            .folder(TestPaths.fixture("tiny-model")),
            configuration: EmbedderConfiguration(engine: .hashing, hashingDimension: dimension), logger: TestRuntime.logger)
    }

    static func withServer<Value: Sendable>(
        _ models: [ServedModel], configuration: ServerConfiguration = .init(),
        _ body: @Sendable (any TestClientProtocol, EmbeddingServer) async throws -> Value
    ) async throws -> Value {
        let server = try EmbeddingServer(configuration: configuration, models: models, logger: TestRuntime.logger)
        return try await server.makeApplication().test(.router) { client in try await body(client, server) }
    }

    @Test func theModelFieldChoosesAndNoneIsTheFirst() async throws {
        let small = try await Self.hashing(8)
        let large = try await Self.hashing(24)
        let texts = ["hello world", "the foo bar"]
        let direct = (
            small: try await small.embed(texts.map(EmbeddingInput.text)).embeddings,
            large: try await large.embed(texts.map(EmbeddingInput.text)).embeddings)
        let models = [ServedModel(name: "small", embedder: small), ServedModel(name: "large", embedder: large)]
        try await Self.withServer(models) { client, _ in
            for (model, expected) in [("small", direct.small), ("large", direct.large), ("", direct.small)] {
                var body: [String: Any] = ["input": texts]
                if !model.isEmpty { body["model"] = model }
                let response = try await H.post(client, "/v1/embeddings", body)
                #expect(response.status == .ok, "\(model)")
                let vectors = try H.openAIVectors(response)
                #expect(vectors.count == 2)
                // The same engine on the same texts: the same floats (tolerance 0).
                for (vector, want) in zip(vectors, expected) { H.expectClose(vector, want, tolerance: 0, model) }
                let answer = try #require(try H.object(response) as? [String: Any])
                #expect(answer["model"] as? String == (model.isEmpty ? "small" : model))
            }
            // TEI has no model field: the default model.
            let tei = try #require(try H.object(try await H.post(client, "/embed", ["inputs": "hello world"])) as? [[Double]])
            #expect(tei.first?.count == 8)
        }
    }

    @Test func anUnknownNameIsA404NamingTheModels() async throws {
        let models = [
            ServedModel(name: "small", embedder: try await Self.hashing(8)),
            ServedModel(name: "large", embedder: try await Self.hashing(24)),
        ]
        try await Self.withServer(models) { client, _ in
            let response = try await H.post(client, "/v1/embeddings", ["input": "x", "model": "text-embedding-ada-002"])
            #expect(response.status == .notFound)
            let error = try H.error(response)
            #expect(error["code"] as? String == "not_found")
            #expect(error["param"] as? String == "model")
            let message = try #require(error["message"] as? String)
            #expect(message.contains("'text-embedding-ada-002'") && message.contains("'small', 'large'"), "\(message)")
        }
    }

    @Test func aSingleModelServerStillTakesAnyName() async throws {
        try await H.withServer(try await Self.hashing(8), configuration: .init(modelID: "mine")) { client, _ in
            let response = try await H.post(client, "/v1/embeddings", ["input": "x", "model": "text-embedding-ada-002"])
            #expect(response.status == .ok)
            #expect((try H.object(response) as? [String: Any])?["model"] as? String == "mine")
        }
    }

    @Test func modelsAndInfoListEveryModel() async throws {
        let models = [
            ServedModel(name: "small", embedder: try await Self.hashing(8)),
            ServedModel(name: "org/large", embedder: try await Self.hashing(24)),
        ]
        try await Self.withServer(models) { client, _ in
            let list = try #require(try H.object(try await client.execute(uri: "/v1/models", method: .get)) as? [String: Any])
            let ids = (list["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["small", "org/large"])
            // A name with a slash (a hub id) is asked for percent-encoded.
            for (id, path) in [("small", "small"), ("org/large", "org%2Flarge")] {
                let one = try await client.execute(uri: "/v1/models/\(path)", method: .get)
                #expect(one.status == .ok, "\(id)")
                #expect((try H.object(one) as? [String: Any])?["id"] as? String == id)
            }
            let missing = try await client.execute(uri: "/v1/models/other", method: .get)
            #expect(missing.status == .notFound)
            let info = try #require(try H.object(try await client.execute(uri: "/info", method: .get)) as? [String: Any])
            #expect(info["model_id"] as? String == "small")
            #expect(info["dimension"] as? Int == 8)
            let listed = try #require(info["models"] as? [[String: Any]])
            #expect(listed.map { $0["model_id"] as? String } == ["small", "org/large"])
            #expect(listed.map { $0["dimension"] as? Int } == [8, 24])
            #expect(listed.map { $0["default"] as? Bool } == [true, false])
            #expect(listed.map { $0["modalities"] as? [String] } == [["text"], ["text"]])
        }
    }

    @Test func aNameTwiceOrMissingStopsTheStart() async throws {
        let embedder = try await Self.hashing(8)
        let twice = [ServedModel(name: "a", embedder: embedder), ServedModel(name: "b", embedder: embedder),
                     ServedModel(name: "a", embedder: embedder)]
        let error = #expect(throws: ServerError.self) {
            _ = try EmbeddingServer(configuration: .init(), models: twice, logger: TestRuntime.logger)
        }
        #expect(error?.message.contains("'a' named more than once") == true, "\(String(describing: error?.message))")
        #expect(throws: ServerError.self) {
            _ = try EmbeddingServer(
                configuration: .init(), models: [ServedModel(name: "a", embedder: embedder), ServedModel(name: nil, embedder: embedder)],
                logger: TestRuntime.logger)
        }
        #expect(throws: ServerError.self, "the model id must be the first's name") {
            _ = try EmbeddingServer(
                configuration: .init(modelID: "x"), models: [ServedModel(name: "a", embedder: embedder)], logger: TestRuntime.logger)
        }
    }

    /// The second model loads only when the test lets it: meanwhile the first serves, the
    /// second answers 503 and /health is 503 naming it; then all is well.
    @Test func healthWaitsForEveryModel() async throws {
        let small = try await Self.hashing(8)
        let large = try await Self.hashing(24)
        let (gate, opener) = AsyncStream<Void>.makeStream()
        let models = [
            ServedModel(name: "small") { small },
            ServedModel(name: "large") {
                for await _ in gate { break }
                return large
            },
        ]
        try await Self.withServer(models) { client, server in
            for _ in 0..<400 {
                if case .ready = server.host.current { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            let first = try await H.post(client, "/v1/embeddings", ["input": "x", "model": "small"])
            #expect(first.status == .ok)
            let second = try await H.post(client, "/v1/embeddings", ["input": "x", "model": "large"])
            #expect(second.status == .serviceUnavailable)
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .serviceUnavailable)
            let reason = (try H.object(health) as? [String: Any])?["reason"] as? String
            #expect(reason == "model 'large': the model is still loading", "\(String(describing: reason))")
            #expect(try await client.execute(uri: "/v1/models", method: .get).status == .serviceUnavailable)
            opener.yield()
            var healthy = false
            for _ in 0..<400 where !healthy {
                healthy = try await client.execute(uri: "/health", method: .get).status == .ok
                if !healthy { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(healthy)
            let loaded = try await H.post(client, "/v1/embeddings", ["input": "x", "model": "large"])
            #expect(try H.openAIVectors(loaded).first?.count == 24)
        }
    }
}
