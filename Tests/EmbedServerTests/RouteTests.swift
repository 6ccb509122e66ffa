import EmbedCore
import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every route on the tiny fixture model (4 dimensions, maximum length 8; vocabulary
/// [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, hello 4, world 5, foo 6, bar 7, ##s 8, the 9),
/// compared with what the embedder returns when called directly.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct RouteTests {
    typealias H = ServerHarness

    @Test func openAIFloatVectorsAreTheEmbeddersWithUsage() async throws {
        let embedder = try await H.tinyEmbedder()
        let direct = try await embedder.embedWithDetails(["hello world", "the foo bar"])
        try await H.withServer(embedder) { client, _ in
            for uri in ["/v1/embeddings", "/embeddings"] {
                let response = try await H.post(
                    client, uri, ["input": ["hello world", "the foo bar"], "model": "tiny-model", "user": "u1"])
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.contentType] == "application/json")
                let vectors = try H.openAIVectors(response)
                #expect(vectors.count == 2)
                for (vector, expected) in zip(vectors, direct.embeddings) { H.expectClose(vector, expected) }
                let body = try #require(try H.object(response) as? [String: Any])
                #expect(body["object"] as? String == "list")
                #expect(body["model"] as? String == "tiny-model")
                let usage = try #require(body["usage"] as? [String: Int])
                #expect(usage["prompt_tokens"] == direct.tokenCounts.reduce(0, +))
                #expect(usage["total_tokens"] == direct.tokenCounts.reduce(0, +))
            }
        }
    }

    @Test func base64IsLittleEndianFloat32OfTheSameVector() async throws {
        let embedder = try await H.tinyEmbedder()
        try await H.withServer(embedder) { client, _ in
            let floats = try H.openAIVectors(try await H.post(client, "/v1/embeddings", ["input": "hello world"]))
            let response = try await H.post(
                client, "/v1/embeddings", ["input": "hello world", "encoding_format": "base64"])
            #expect(response.status == .ok)
            let body = try #require(try H.object(response) as? [String: Any])
            let item = try #require((body["data"] as? [[String: Any]])?.first)
            let text = try #require(item["embedding"] as? String)
            let data = try #require(Data(base64Encoded: text))
            #expect(data.count == 4 * 4, "4 float32 values")
            let decoded = stride(from: 0, to: data.count, by: 4).map { offset in
                Float(bitPattern: data[offset..<(offset + 4)].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            }
            #expect(decoded == floats[0], "base64 must carry exactly the float values")
        }
    }

    @Test func modelTokenIdInputsEmbedLikeTheirText() async throws {
        let embedder = try await H.tinyEmbedder()
        let direct = try await embedder.embed(["hello world", "the foo"])
        try await H.withServer(embedder, configuration: ServerConfiguration(openAITokenIDs: .model)) { client, _ in
            let single = try H.openAIVectors(try await H.post(client, "/v1/embeddings", ["input": [2, 4, 5, 3]]))
            #expect(single.count == 1)
            H.expectClose(single[0], direct[0], "ids of 'hello world'")
            let many = try H.openAIVectors(
                try await H.post(client, "/v1/embeddings", ["input": [[2, 4, 5, 3], [2, 9, 6, 3]]]))
            #expect(many.count == 2)
            H.expectClose(many[1], direct[1], "ids of 'the foo'")
            let bad = try await H.post(client, "/v1/embeddings", ["input": [2, 4, 99]])
            #expect(bad.status == .badRequest)
            #expect((try H.error(bad)["message"] as? String)?.contains("99") == true)
        }
    }

    @Test func dimensionsKeepThePrefixAndRenormalise() async throws {
        let embedder = try await H.tinyEmbedder()
        let full = try await embedder.embed(["hello world"])[0]
        try await H.withServer(embedder) { client, _ in
            let cut = try H.openAIVectors(try await H.post(client, "/v1/embeddings", ["input": "hello world", "dimensions": 2]))
            H.expectClose(cut[0], VectorMath.l2Normalized(Array(full.prefix(2))), "first 2 values, re-normalised")
            let tooMany = try await H.post(client, "/v1/embeddings", ["input": "hello world", "dimensions": 5])
            #expect(tooMany.status == .badRequest)
            let error = try H.error(tooMany)
            #expect(error["param"] as? String == "dimensions")
            #expect((error["message"] as? String)?.contains("4") == true, "names the model's dimension")
            let tei = try await H.post(client, "/embed", ["inputs": "hello world", "dimensions": 3])
            let vectors = try #require(try H.object(tei) as? [[Double]])
            H.expectClose(vectors[0].map { Float($0) }, VectorMath.l2Normalized(Array(full.prefix(3))), "TEI dimensions")
        }
    }

    @Test func teiEmbedReturnsAnArrayOfVectors() async throws {
        let embedder = try await H.tinyEmbedder()
        let normalized = try await embedder.embed(["hello", "foo bar"])
        let raw = try await Embedder(
            .folder(TestPaths.fixture("tiny-model")), configuration: EmbedderConfiguration(normalize: false),
            logger: TestRuntime.logger
        ).embed(["hello"])
        try await H.withServer(embedder) { client, _ in
            let response = try await H.post(client, "/embed", ["inputs": ["hello", "foo bar"]])
            #expect(response.status == .ok)
            let vectors = try #require(try H.object(response) as? [[Double]])
            #expect(vectors.count == 2)
            H.expectClose(vectors[1].map { Float($0) }, normalized[1])
            let single = try #require(
                try H.object(try await H.post(client, "/embed", ["inputs": "hello", "normalize": false])) as? [[Double]])
            H.expectClose(single[0].map { Float($0) }, raw[0], "normalize false")
        }
    }

    @Test func truncationCanBeTurnedOffAndPointedLeft() async throws {
        let embedder = try await H.tinyEmbedder()
        // 10 words: 12 tokens with [CLS] and [SEP], over the maximum of 8.
        let long = "hello world foo bar the hello world foo bar the"
        let right = try await embedder.embed(["hello world foo bar the hello"])[0]
        let left = try await embedder.embed(["the hello world foo bar the"])[0]
        try await H.withServer(embedder) { client, _ in
            let refused = try await H.post(client, "/embed", ["inputs": ["ok", long], "truncate": false])
            #expect(refused.status == .contentTooLarge)
            let message = try #require(try H.error(refused)["message"] as? String)
            #expect(message.contains("input 1") && message.contains("12") && message.contains("8"), "\(message)")
            let cutRight = try #require(try H.object(try await H.post(client, "/embed", ["inputs": long])) as? [[Double]])
            H.expectClose(cutRight[0].map { Float($0) }, right, "right truncation keeps the first 6 words")
            let cutLeft = try #require(
                try H.object(try await H.post(client, "/embed", ["inputs": long, "truncation_direction": "Left"]))
                    as? [[Double]])
            H.expectClose(cutLeft[0].map { Float($0) }, left, "left truncation keeps the last 6 words")
        }
        var strict = ServerConfiguration()
        strict.truncateByDefault = false
        // A server drains its embedder when it stops: the second server gets a new one.
        try await H.withServer(try await H.tinyEmbedder(), configuration: strict) { client, _ in
            let refused = try await H.post(client, "/v1/embeddings", ["input": long])
            #expect(refused.status == .contentTooLarge)
            #expect(try H.error(refused)["param"] as? String == "input")
        }
    }

    @Test func tokenizeGivesTEITokens() async throws {
        try await H.withServer(try await H.tinyEmbedder()) { client, _ in
            let response = try await H.post(client, "/tokenize", ["inputs": "hello worlds"])
            #expect(response.status == .ok)
            let tokens = try #require(try H.object(response) as? [[[String: Any]]])
            #expect(tokens.count == 1)
            #expect(tokens[0].map { $0["id"] as? Int } == [2, 4, 5, 8, 3])
            #expect(tokens[0].map { $0["special"] as? Bool } == [true, false, false, false, true])
            #expect(tokens[0].map { $0["text"] as? String } == ["[CLS]", "hello", "world", "s", "[SEP]"])
            #expect(tokens[0][1]["start"] as? Int == 0 && tokens[0][1]["stop"] as? Int == 5)
            #expect(tokens[0][0]["start"] is NSNull, "special tokens have no offsets")
            let plain = try #require(
                try H.object(try await H.post(client, "/tokenize", ["inputs": ["foo"], "add_special_tokens": false]))
                    as? [[[String: Any]]])
            #expect(plain[0].map { $0["id"] as? Int } == [6])
        }
    }

    @Test func tokenizeIsCappedInTokensPerRequest() async throws {
        // "hello worlds" is 5 tokens with [CLS] and [SEP].
        try await H.withServer(try await H.tinyEmbedder(), configuration: .init(maxTokenizeTokens: 10)) { client, _ in
            #expect(try await H.post(client, "/tokenize", ["inputs": ["hello worlds", "hello worlds"]]).status == .ok, "10 = the cap")
            let refused = try await H.post(client, "/tokenize", ["inputs": ["hello worlds", "hello worlds", "foo"]])
            #expect(refused.status == .contentTooLarge)
            let error = try H.error(refused)
            #expect((error["message"] as? String)?.contains("13 tokens") == true, "\(error)")
            #expect((error["message"] as? String)?.contains("server.max_tokenize_tokens") == true)
            #expect(error["param"] as? String == "inputs")
        }
    }

    @Test func modelsAndInfoDescribeTheModel() async throws {
        try await H.withServer(try await H.tinyEmbedder()) { client, _ in
            let list = try #require(
                try H.object(try await client.execute(uri: "/v1/models", method: .get)) as? [String: Any])
            #expect(list["object"] as? String == "list")
            let models = try #require(list["data"] as? [[String: Any]])
            #expect(models.map { $0["id"] as? String } == ["tiny-model"])
            #expect(models[0]["object"] as? String == "model")
            #expect(models[0]["owned_by"] as? String == "swift-embed")
            let one = try await client.execute(uri: "/v1/models/tiny-model", method: .get)
            #expect(one.status == .ok)
            let missing = try await client.execute(uri: "/v1/models/other", method: .get)
            #expect(missing.status == .notFound)
            _ = try H.error(missing)
            let info = try #require(try H.object(try await client.execute(uri: "/info", method: .get)) as? [String: Any])
            #expect(info["model_id"] as? String == "tiny-model")
            #expect(info["model_path"] as? String == "tiny-model", "the folder's name, not its absolute path")
            #expect(info["dimension"] as? Int == 4)
            #expect(info["max_input_length"] as? Int == 8)
            #expect(info["max_client_batch_size"] as? Int == ServerConfiguration().maxClientBatchSize)
            #expect(info["runtime"] as? String == "onnxruntime")
            #expect(info["max_batch_tokens"] as? Int == BatchingConfiguration().maxBatchTokens)
            #expect(info["provider"] as? String == "CPUExecutionProvider")
            #expect(info["quantized"] as? Bool == false)
            #expect((info["ort_version"] as? String)?.isEmpty == false)
        }
    }

    @Test func healthEmbedsAndChecksAndMetricsAreRendered() async throws {
        try await H.withServer(try await H.tinyEmbedder()) { client, server in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            let body = try #require(try H.object(health) as? [String: Any])
            #expect(body["status"] as? String == "ok")
            #expect(body["dimension"] as? Int == 4)
            let norm = try #require(body["norm"] as? Double)
            #expect(abs(norm - 1) <= 1e-3, "unit norm, tolerance 1e-3: \(norm)")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(String(buffer: metrics.body).contains("test_metric 1"))
            server.host.beginDraining()
            let draining = try await client.execute(uri: "/health", method: .get)
            #expect(draining.status == .serviceUnavailable)
            let refused = try await H.post(client, "/v1/embeddings", ["input": "hello"])
            #expect(refused.status == .serviceUnavailable)
            #expect((try H.error(refused)["message"] as? String)?.contains("shutting down") == true)
        }
    }
}
