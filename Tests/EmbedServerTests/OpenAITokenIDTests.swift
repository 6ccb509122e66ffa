import EmbedEngine
import EmbedServer
import EmbedTestSupport
import EmbedTokenizers
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

private typealias H = ServerHarness

/// Token-id arrays on `/v1/embeddings` are OpenAI's `cl100k_base` ids by default (what
/// LangChain's `OpenAIEmbeddings` sends): decoded to text and embedded with the model's own
/// tokenizer, or refused when no encoding file is found; never embedded as model ids.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct OpenAITokenIDTests {
    static let cl100kFile = TestPaths.cache.appendingPathComponent("tiktoken/cl100k_base.tiktoken")
    static var hasCl100k: Bool { TestRuntime.isRequired || FileManager.default.fileExists(atPath: cl100kFile.path) }

    /// `tiktoken.get_encoding("cl100k_base").encode(...)` of the texts the tiny model knows.
    static let helloWorld = [15339, 1917]  // "hello world"
    static let theFoo = [1820, 15586]  // "the foo"

    static func cl100kServer() -> ServerConfiguration {
        ServerConfiguration(tiktoken: TiktokenFileSearch(path: cl100kFile.path))
    }

    @Test(.enabled(if: hasCl100k, "needs .cache/tiktoken/cl100k_base.tiktoken: run `make setup`"))
    func theEncodingFileDecodesKnownIds() throws {
        let decoder = try TiktokenDecoder.cl100k(contentsOf: Self.cl100kFile)
        #expect(decoder.vocabularySize == 100_261)
        #expect(try decoder.decode(Self.helloWorld) == "hello world")
        #expect(try decoder.decode(Self.theFoo) == "the foo")
        #expect(try decoder.decode([100_257]) == "<|endoftext|>")
        #expect(throws: TokenizerError.self) { try decoder.decode([15339, 100_256]) }
    }

    @Test(.enabled(if: hasCl100k, "needs .cache/tiktoken/cl100k_base.tiktoken: run `make setup`"))
    func openAIIdsEmbedAsTheirText() async throws {
        let embedder = try await H.tinyEmbedder()
        let direct = try await embedder.embed(["hello world", "the foo"])
        try await H.withServer(embedder, configuration: Self.cl100kServer()) { client, _ in
            let single = try H.openAIVectors(try await H.post(client, "/v1/embeddings", ["input": Self.helloWorld]))
            try #require(single.count == 1)
            H.expectClose(single[0], direct[0], "cl100k ids of 'hello world'")
            let many = try H.openAIVectors(
                try await H.post(client, "/v1/embeddings", ["input": [Self.helloWorld, Self.theFoo]]))
            try #require(many.count == 2)
            H.expectClose(many[1], direct[1], "cl100k ids of 'the foo'")
            let bad = try await H.post(client, "/v1/embeddings", ["input": [Self.helloWorld, [15339, 250_000]]])
            #expect(bad.status == .badRequest)
            let message = try H.error(bad)["message"] as? String ?? ""
            #expect(message.contains("input[1]") && message.contains("250000") && message.contains("cl100k_base"), "\(message)")
        }
    }

    @Test func withoutAnEncodingFileTokenIdsAreRefusedAndTextStillWorks() async throws {
        let configuration = ServerConfiguration(tiktoken: TiktokenFileSearch(searchDefaultLocations: false))
        try await H.withServer(try await H.hashingEmbedder(), configuration: configuration) { client, _ in
            let refused = try await H.post(client, "/v1/embeddings", ["input": [[1, 2, 3]]])
            #expect(refused.status == .badRequest)
            let body = try H.error(refused)
            #expect(body["param"] as? String == "input")
            let message = body["message"] as? String ?? ""
            #expect(message.contains("cl100k_base") && message.contains("server.openai_token_ids=model"), "\(message)")
            let text = try await H.post(client, "/v1/embeddings", ["input": "hello"])
            #expect(text.status == .ok)
        }
    }

    @Test func anExplicitFileThatIsMissingStopsTheStart() async throws {
        let configuration = ServerConfiguration(tiktoken: TiktokenFileSearch(path: "/nonexistent/cl100k_base.tiktoken"))
        #expect(throws: ServerError.self) {
            _ = try EmbeddingServer(configuration: configuration, logger: TestRuntime.logger) {
                try await H.hashingEmbedder()
            }
        }
    }

    @Test func aMalformedEncodingFileIsAnErrorNamingTheLine() throws {
        let data = Data("IQ== 0\nIg== 1\nnot-a-line\n".utf8)
        #expect {
            _ = try TiktokenDecoder(name: "test", data: data, specialTokens: [:])
        } throws: { error in
            (error as? TokenizerError)?.message.contains("line 3") == true
        }
        let decoder = try TiktokenDecoder(name: "test", data: Data("IQ== 0\nIg== 1\n".utf8), specialTokens: [5: "<s>"])
        #expect(try decoder.decode([0, 1, 5]) == "!\"<s>")
    }
}
