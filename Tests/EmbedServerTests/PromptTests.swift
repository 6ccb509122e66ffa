import EmbedEngine
import EmbedServer
import EmbedTestSupport
import EmbedTokenizers
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// TEI's `prompt_name` on the tiny BERT family model (prompts `query: ` and `passage: `),
/// with pooling that leaves the prompt out, so that a batch mixing prompts must pool each row
/// past its own prompt. Compared with the library called directly (tolerance 1e-5).
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct PromptTests {
    typealias H = ServerHarness

    /// The bert family model with mean pooling that excludes prompt tokens.
    static func excludingPromptModel() throws -> URL {
        let family = TestPaths.fixture("families/bert")
        let folder = try TestPaths.temporaryFolder().appendingPathComponent("bert")
        let manager = FileManager.default
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in try manager.contentsOfDirectory(atPath: family.path) where !["variants", "reference.json"].contains(name) {
            try manager.copyItem(at: family.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let pooling = folder.appendingPathComponent("1_Pooling/config.json")
        try manager.removeItem(at: pooling)
        try manager.copyItem(at: family.appendingPathComponent("variants/exclude_prompt_mean/1_Pooling/config.json"), to: pooling)
        return folder
    }

    @Test func promptNamesEmbedLikeTheLibraryEvenInOneBatch() async throws {
        let embedder = try await Embedder(.folder(try Self.excludingPromptModel()), logger: TestRuntime.logger)
        let texts = ["how do I embed text in Swift?", "A passage about ONNX Runtime sessions and threads.", "plain"]
        let names: [String?] = ["query", "passage", nil]
        var expected: [[Float]] = []
        for (text, name) in zip(texts, names) {
            expected.append(try await embedder.embed([text], options: EmbeddingOptions(prompt: name.map(PromptChoice.named) ?? .automatic))[0])
        }
        #expect(expected[0] != (try await embedder.embed([texts[0]])[0]), "the prompt changes the vector")
        let references = expected
        try await H.withServer(embedder) { client, _ in
            // Sent at once so that the scheduler may put them in one model run.
            try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
                for round in 0..<4 {
                    for (index, (text, name)) in zip(texts, names).enumerated() {
                        group.addTask {
                            var body: [String: Any] = ["inputs": text]
                            if let name { body["prompt_name"] = name }
                            let response = try await H.post(client, "/embed", body)
                            #expect(response.status == .ok, "round \(round) input \(index)")
                            let vectors = try #require(try H.object(response) as? [[Double]])
                            return (index, vectors[0].map { Float($0) })
                        }
                    }
                }
                for try await (index, vector) in group { H.expectClose(vector, references[index], "input \(index)") }
            }
        }
    }

    @Test func unknownPromptNamesAndPromptsOnTheHashingEngineAre400() async throws {
        let embedder = try await Embedder(.folder(try Self.excludingPromptModel()), logger: TestRuntime.logger)
        try await H.withServer(embedder) { client, _ in
            let response = try await H.post(client, "/embed", ["inputs": "a", "prompt_name": "summary"])
            #expect(response.status == .badRequest)
            let error = try H.error(response)
            #expect(error["param"] as? String == "prompt_name")
            let message = try #require(error["message"] as? String)
            #expect(message.contains("summary") && message.contains("query") && message.contains("passage"), "\(message)")
        }
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            let response = try await H.post(client, "/embed", ["inputs": "a", "prompt_name": "query"])
            #expect(response.status == .badRequest)
            #expect(try H.error(response)["param"] as? String == "prompt_name")
        }
    }

    @Test func tokenizeWithAPromptNameStartsWithThePromptTokens() async throws {
        let embedder = try await Embedder(.folder(try Self.excludingPromptModel()), logger: TestRuntime.logger)
        let tokenizer = try #require(embedder.tokenizer)
        let expected = tokenizer.encode("query: hello world").ids
        try await H.withServer(embedder) { client, _ in
            let response = try await H.post(client, "/tokenize", ["inputs": "hello world", "prompt_name": "query"])
            #expect(response.status == .ok)
            let tokens = try #require(try H.object(response) as? [[[String: Any]]])
            #expect(tokens[0].map { $0["id"] as? Int } == expected)
        }
    }
}
