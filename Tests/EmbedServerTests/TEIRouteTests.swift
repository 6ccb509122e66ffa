import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// TEI's `/similarity`, `POST /`, `/decode` and `/embed_all`, with the request shapes of
/// TEI's `router/src/http/types.rs`.
struct TEIRouteTests {
    typealias H = ServerHarness

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).map { $0 * $1 }.reduce(0, +)
        let norms = (a.map { $0 * $0 }.reduce(0, +) * b.map { $0 * $0 }.reduce(0, +)).squareRoot()
        return dot / norms
    }

    @Test func similarityIsTheCosineOfTheEmbedVectors() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            let sentences = ["hello world", "the foo bar", "hello there world"]
            let vectors = try #require(
                try H.object(try await H.post(client, "/embed", ["inputs": ["hello world"] + sentences])) as? [[Double]])
            let expected = sentences.indices.map { Self.cosine(vectors[0], vectors[$0 + 1]) }
            let body: [String: Any] = ["inputs": ["source_sentence": "hello world", "sentences": sentences]]
            for uri in ["/similarity", "/"] {
                let response = try await H.post(client, uri, body)
                #expect(response.status == .ok, "\(uri)")
                let scores = try #require(try H.object(response) as? [Double], "\(uri)")
                #expect(scores.count == 3)
                for (score, want) in zip(scores, expected) { #expect(abs(score - want) < 1e-5, "\(uri): \(score) vs \(want)") }
                #expect(abs(scores[0] - 1) < 1e-5, "the same sentence scores 1")
            }
            let withParameters = try await H.post(
                client, "/similarity",
                ["inputs": ["source_sentence": "a", "sentences": ["b"]],
                 "parameters": ["truncate": true, "truncation_direction": "Left"]])
            #expect(withParameters.status == .ok)
            let nullParameters = try await H.post(
                client, "/similarity", ["inputs": ["source_sentence": "a", "sentences": ["b"]], "parameters": NSNull()])
            #expect(nullParameters.status == .ok)
        }
    }

    @Test func similarityRequestsAreChecked() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            try H.expectError(
                try await H.post(client, "/similarity", ["inputs": ["sentences": ["b"]]]), .badRequest,
                param: "inputs.source_sentence", mentions: ["missing"])
            try H.expectError(
                try await H.post(client, "/similarity", ["inputs": ["source_sentence": "a", "sentences": []]]),
                .badRequest, param: "inputs.sentences", mentions: ["empty"])
            try H.expectError(
                try await H.post(client, "/similarity", ["inputs": ["source_sentence": "a", "sentences": ["b", 3]]]),
                .badRequest, param: "inputs.sentences", mentions: ["inputs.sentences[1]", "string"])
            try H.expectError(
                try await H.post(client, "/", ["inputs": ["source_sentence": "a", "sentences": ["b"], "extra": 1]]),
                .badRequest, param: "inputs.extra", mentions: ["unknown field 'inputs.extra'"])
            try H.expectError(
                try await H.post(
                    client, "/similarity", ["inputs": ["source_sentence": "a", "sentences": ["b"]], "parameters": ["normalize": true]]),
                .badRequest, param: "parameters.normalize", mentions: ["unknown field"])
            try H.expectError(
                try await H.post(
                    client, "/similarity",
                    ["inputs": ["source_sentence": "a", "sentences": ["b"]], "parameters": ["truncation_direction": "up"]]),
                .badRequest, param: "parameters.truncation_direction", mentions: ["Left", "Right"])
        }
    }

    @Test func rootPostIsEmbed() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            let embed = try H.object(try await H.post(client, "/embed", ["inputs": ["a", "b"], "dimensions": 4])) as? [[Double]]
            let root = try H.object(try await H.post(client, "/", ["inputs": ["a", "b"], "dimensions": 4])) as? [[Double]]
            #expect(root != nil && root == embed)
            try H.expectError(
                try await H.post(client, "/", ["input": "a"]), .badRequest, param: "input", mentions: ["unknown field"])
        }
    }

    @Test func embedAllIsCheckedThenRefusedAsUnsupported() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            try H.expectError(
                try await H.post(client, "/embed_all", ["inputs": "a", "normalize": true]), .badRequest, param: "normalize",
                mentions: ["unknown field"])
            let refused = try await H.post(client, "/embed_all", ["inputs": "a"])
            try H.expectError(refused, .unprocessableContent, mentions: ["per-token vectors", "/embed"])
            #expect(try H.error(refused)["param"] is NSNull, "no field is at fault")
            #expect(try H.error(refused)["code"] as? String == "unsupported_by_model")
        }
    }

    @Test func decodeWithoutATokenizerIsUnsupported() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            try H.expectError(
                try await H.post(client, "/decode", ["ids": [4, 5]]), .unprocessableContent, param: "ids",
                mentions: ["no tokenizer"])
        }
    }

    @Test func decodeRequestsAreChecked() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            try H.expectError(try await H.post(client, "/decode", ["ids": []]), .badRequest, param: "ids", mentions: ["empty"])
            try H.expectError(
                try await H.post(client, "/decode", ["ids": "hello"]), .badRequest, param: "ids", mentions: ["array of token ids"])
            try H.expectError(
                try await H.post(client, "/decode", ["ids": [[4], 5]]), .badRequest, param: "ids", mentions: ["ids[1]"])
            try H.expectError(
                try await H.post(client, "/decode", ["ids": [4, "x"]]), .badRequest, param: "ids", mentions: ["ids[1]", "integer"])
            try H.expectError(
                try await H.post(client, "/decode", ["ids": [4], "skip_special": true]), .badRequest, param: "skip_special",
                mentions: ["unknown field"])
            try H.expectError(
                try await H.post(client, "/decode", ["ids": [4], "skip_special_tokens": "no"]), .badRequest,
                param: "skip_special_tokens", mentions: ["boolean"])
        }
    }

    /// The tiny model's tokenizer has no decoder: `tokenizers` joins the tokens with spaces.
    @Test(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
    func decodeGivesTheTokenizersText() async throws {
        try await H.withServer(try await H.tinyEmbedder()) { client, _ in
            let single = try await H.post(client, "/decode", ["ids": [2, 4, 8, 5, 3]])
            #expect(single.status == .ok)
            #expect(try H.object(single) as? [String] == ["hello ##s world"])
            let batch = try await H.post(
                client, "/decode", ["ids": [[2, 4, 3], [6, 7], []], "skip_special_tokens": false])
            #expect(try H.object(batch) as? [String] == ["[CLS] hello [SEP]", "foo bar", ""])
            try H.expectError(
                try await H.post(client, "/decode", ["ids": [[4], [4, 99]]]), .badRequest, param: "ids",
                mentions: ["sequence 1", "id 99 at index 1", "vocabulary"])
        }
    }
}
