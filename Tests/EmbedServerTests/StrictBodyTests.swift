import EmbedServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Request bodies are strict JSON on every route: a duplicate key, a trailing comma or
/// nesting past 128 levels is a 400 that says where.
struct StrictBodyTests {
    typealias H = ServerHarness

    @Test func duplicateKeysTrailingCommasAndDeepNestingAre400WithTheirPlace() async throws {
        try await H.withServer(try await H.hashingEmbedder()) { client, _ in
            let cases: [(String, String, String)] = [
                ("/embed", #"{"inputs": "a", "inputs": "b"}"#, #"duplicate key "inputs" at line 1, column 17 (byte 16)"#),
                ("/v1/embeddings", "{\"input\": [\"a\",\n \"b\",]}", "trailing comma before ']' at line 2, column 5 (byte 20)"),
                ("/similarity", #"{"inputs": {"source_sentence": "a", "sentences": ["b"],}}"#, "trailing comma before '}'"),
                ("/decode", #"{"ids": [1, 2], "ids": [3]}"#, #"duplicate key "ids""#),
                ("/embed", String(repeating: "[", count: 5000), "nested deeper than 128 levels"),
            ]
            for (uri, body, mention) in cases {
                let response = try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(uri) \(body.prefix(40))")
                let message = try H.error(response)["message"] as? String ?? ""
                #expect(message.hasPrefix("the request body is not valid JSON: "), "\(message)")
                #expect(message.contains(mention), "'\(message)' should contain '\(mention)'")
            }
            let fine = try await client.execute(
                uri: "/embed", method: .post, body: ByteBuffer(string: #"{"inputs": ["a", {"x": 1}]}"#))
            #expect(fine.status == .badRequest, "valid JSON reaches the field checks")
            #expect((try H.error(fine)["message"] as? String)?.contains("inputs[1]") == true)
        }
    }
}
