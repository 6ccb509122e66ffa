import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every bad request gets OpenAI's error shape with the status of the one mapping; none
/// needs ONNX Runtime (the hashing engine serves).
struct ErrorTests {
    typealias H = ServerHarness

    @Test func malformedBodiesAre400() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            let malformed = try await client.execute(
                uri: "/v1/embeddings", method: .post, body: ByteBuffer(string: #"{"input": "a""#))
            try H.expectError(malformed, .badRequest, mentions: ["JSON"])
            let invalidUTF8 = try await client.execute(
                uri: "/v1/embeddings", method: .post, body: ByteBuffer(bytes: Array(#"{"input": ""#.utf8) + [0xFF, 0x22, 0x7D]))
            try H.expectError(invalidUTF8, .badRequest, mentions: ["UTF-8"])
            let notObject = try await client.execute(uri: "/embed", method: .post, body: ByteBuffer(string: "[1]"))
            try H.expectError(notObject, .badRequest, mentions: ["object"])
        }
    }

    @Test func wrongMissingAndEmptyInputsName400TheField() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            try H.expectError(try await H.post(client, "/v1/embeddings", ["model": "m"]), .badRequest, param: "input", mentions: ["missing"])
            try H.expectError(try await H.post(client, "/v1/embeddings", ["input": 5]), .badRequest, param: "input", mentions: ["number"])
            try H.expectError(try await H.post(client, "/v1/embeddings", ["input": []]), .badRequest, param: "input", mentions: ["empty"])
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": ["a", 3, "c"]]), .badRequest, param: "input",
                mentions: ["input[1]"])
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": [[1, 2], ["x"]]]), .badRequest, mentions: ["input[1][0]"])
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": "a", "encoding_format": "hex"]), .badRequest,
                param: "encoding_format")
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": "a", "dimensions": "8"]), .badRequest,
                param: "dimensions")
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": "a", "temperature": 1]), .badRequest,
                param: "temperature", mentions: ["unknown"])
            try H.expectError(try await H.post(client, "/embed", ["input": "a"]), .badRequest, param: "input")
            try H.expectError(
                try await H.post(client, "/embed", ["inputs": "a", "prompt_name": "query"]), .badRequest,
                param: "prompt_name", mentions: ["no prompts"])
            try H.expectError(
                try await H.post(client, "/embed", ["inputs": "a", "truncation_direction": "up"]), .badRequest,
                param: "truncation_direction")
            try H.expectError(try await H.post(client, "/embed", ["inputs": "a", "normalize": "yes"]), .badRequest, param: "normalize")
        }
    }

    @Test func emptyStringsAreEmbeddedOrRefusedAsConfigured() async throws {
        let embedder = try await H.hashingEmbedder()
        try await H.withServer(embedder) { client, _ in
            let response = try await H.post(client, "/v1/embeddings", ["input": ["a", ""]])
            #expect(response.status == .ok)
        }
        var refusing = ServerConfiguration()
        refusing.refuseEmptyStrings = true
        try await H.withServer(try await H.hashingEmbedder(), configuration: refusing) { client, _ in
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": ["a", ""]]), .badRequest, mentions: ["input[1]", "empty"])
        }
    }

    @Test func tooManyInputsAndTooLargeBodiesAre413WithTheLimit() async throws {
        var configuration = ServerConfiguration()
        configuration.maxClientBatchSize = 3
        configuration.payloadLimit = 1_000
        try await H.withServer(try await H.hashingEmbedder(), configuration: configuration) { client, _ in
            #expect(try await H.post(client, "/v1/embeddings", ["input": ["a", "b", "c"]]).status == .ok)
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": ["a", "b", "c", "d"]]), .contentTooLarge,
                param: "input", mentions: ["4", "3"])
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": String(repeating: "x", count: 2_000)]),
                .contentTooLarge, mentions: ["1000"])
        }
    }

    @Test func unknownRoutesAre404InTheSameShape() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            try H.expectError(try await client.execute(uri: "/v2/nothing", method: .get), .notFound)
        }
    }

    @Test func apiKeyIsRequiredEverywhereButHealth() async throws {
        var configuration = ServerConfiguration()
        configuration.apiKey = "s3cret"
        try await H.withServer(try await H.hashingEmbedder(), configuration: configuration) { client, _ in
            try H.expectError(try await H.post(client, "/v1/embeddings", ["input": "a"]), .unauthorized)
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": "a"], headers: [.authorization: "Bearer wrong"]),
                .unauthorized, mentions: ["invalid"])
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": "a"], headers: [.authorization: "s3cret"]),
                .unauthorized)
            let allowed = try await H.post(client, "/v1/embeddings", ["input": "a"], headers: [.authorization: "Bearer s3cret"])
            #expect(allowed.status == .ok)
            try H.expectError(try await client.execute(uri: "/v1/models", method: .get), .unauthorized)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test func engineErrorsMapToTheirStatuses() {
        let cases: [(EmbedError.Code, HTTPResponse.Status)] = [
            (.invalidInput, .badRequest), (.inputTooLong, .contentTooLarge), (.overloaded, .tooManyRequests),
            (.unavailable, .serviceUnavailable), (.runtime, .internalServerError), (.cancelled, .init(code: 499)),
        ]
        for (code, status) in cases {
            #expect(ServerError(EmbedError(code, "x")).kind.status == status, "\(code)")
        }
        let hidden = ServerError(EmbedError(.runtime, "ORT failed at /secret/path"))
        #expect(!hidden.message.contains("/secret/path"), "internals are not leaked")
    }
}
