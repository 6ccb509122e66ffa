import EmbedCore
import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every refusal of items and `fusion` on `/v1/embeddings` (the JSON error shape, its status,
/// a message naming the item), TEI's `/embed` staying text-only, and a projection that does
/// not fit the model refused at start.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct FusionErrorTests {
    typealias H = ServerHarness

    @Test func badItemsAndFusionsAre400sNamingTheirIndex() async throws {
        let png = try ImageRouteTests.image("rgb-32x32.png").base64EncodedString()
        let pair = ["text": "a cat", "image": png]
        try await H.withServer(try await ImageRouteTests.clip()) { client, _ in
            func post(_ body: [String: Any]) async throws -> TestResponse { try await H.post(client, "/v1/embeddings", body) }
            try H.expectError(
                try await post(["input": [["text": "a"], "b", ["text": "d", "foo": 1]]]), .badRequest,
                param: "input[2].foo", mentions: ["unknown field 'input[2].foo'", "image, text"])
            try H.expectError(try await post(["input": [[String: String]()]]), .badRequest, param: "input", mentions: ["'input[0]' must have"])
            try H.expectError(
                try await post(["input": [["text": 5]]]), .badRequest, param: "input[0].text", mentions: ["'input[0].text' must be a string"])
            try H.expectError(
                try await post(["input": [["text": "a"], [1, 2]]]), .badRequest, param: "input", mentions: ["'input[1]' is an array", "token ids do not mix"])
            try H.expectError(
                try await post(["input": [["image": "https://example.com/cat.jpg"]]]), .badRequest, param: "input",
                mentions: ["'input[0].image' is an http(s) URL"])
            try H.expectError(
                try await post(["input": [["text": "a"], ["image": "not base64!"]]]), .badRequest, param: "input",
                mentions: ["'input[1].image' is not valid base64"])
            try H.expectError(
                try await post(["input": ["a", pair]]), .badRequest, param: "fusion",
                mentions: ["'input[1]' is a text and image pair", "needs 'fusion'", "no default fusion"])
            try H.expectError(
                try await post(["input": [pair], "fusion": ["mode": "sum"]]), .badRequest, param: "fusion.mode",
                mentions: ["'fusion.mode' must be \"mean\" or \"concat\", got \"sum\""])
            try H.expectError(
                try await post(["input": [pair], "fusion": ["weight": 0.5]]), .badRequest, param: "fusion.mode",
                mentions: ["needs 'fusion'"])
            for weight in [-0.1, 1.5] {
                try H.expectError(
                    try await post(["input": [pair], "fusion": ["mode": "mean", "weight": weight]]), .badRequest,
                    param: "fusion.weight", mentions: ["'fusion.weight' must be between 0 and 1", "\(weight)"])
            }
            try H.expectError(
                try await post(["input": [pair], "fusion": ["mode": "concat", "weight": 0.3]]), .badRequest,
                param: "fusion.weight", mentions: ["applies to mode \"mean\""])
            try H.expectError(
                try await post(["input": [pair], "fusion": ["mode": "mean", "extra": 1]]), .badRequest,
                param: "fusion.extra", mentions: ["unknown field 'fusion.extra'"])
            try H.expectError(
                try await post(["input": [pair], "fusion": "mean"]), .badRequest, param: "fusion", mentions: ["'fusion' must be a JSON object"])
            try H.expectError(
                try await post(["input": [["text": "a"]], "fusion": ["mode": "mean"]]), .badRequest, param: "fusion", mentions: ["has none"])
            try H.expectError(
                try await post(["input": ["a"], "fusion": ["mode": "mean"]]), .badRequest, param: "fusion", mentions: ["there are none"])
            try H.expectError(
                try await post(["input": [["image": png]], "modality": "image"]), .badRequest, param: "modality",
                mentions: ["cannot be combined"])
            // An image the engine cannot decode: its error names the item, not the engine's input.
            let gif = (Data("GIF89a".utf8) + Data(repeating: 0, count: 32)).base64EncodedString()
            try H.expectError(
                try await post(["input": [pair, ["text": "b", "image": gif]], "fusion": ["mode": "mean"]]), .badRequest,
                param: "input", mentions: ["'input[1].image'", "GIF"])
        }
    }

    @Test func tooManyInputsAndAnOversizeImageAre413() async throws {
        let png = try ImageRouteTests.image("rgb-32x32.png")
        var engine = EmbedderConfiguration()
        engine.images = ImageInputConfiguration(maxBytes: png.count - 1)
        let small = try await Embedder(.folder(TestPaths.fixture("clip/tiny")), configuration: engine, logger: TestRuntime.logger)
        var configuration = ServerConfiguration()
        configuration.maxClientBatchSize = 3
        let pair = ["text": "a cat", "image": png.base64EncodedString()]
        try await H.withServer(small, configuration: configuration) { client, _ in
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": [pair, pair], "fusion": ["mode": "mean"]]), .contentTooLarge,
                param: "input", mentions: ["2 items making 4 inputs", "limit of 3"])
            let response = try await H.post(client, "/v1/embeddings", ["input": [["text": "a"], pair], "fusion": ["mode": "mean"]])
            // A limit, not a malformed image: 413 like the other limits, naming the item.
            #expect(response.status == .contentTooLarge, "oversize image: \(response.status)")
            let error = try H.error(response)
            #expect(error["code"] as? String == "payload_too_large" && error["param"] as? String == "input", "\(error)")
            let message = error["message"] as? String ?? ""
            #expect(message.contains("'input[1].image'") && message.contains("more than the limit"), "'\(message)' names the item")
        }
    }

    @Test func aTextModelRefusesAPairNamingItsImage() async throws {
        let png = try ImageRouteTests.image("rgb-32x32.png").base64EncodedString()
        try await H.withServer(try await H.tinyEmbedder()) { client, _ in
            let response = try await H.post(
                client, "/v1/embeddings", ["input": [["text": "a"], ["text": "b", "image": png]], "fusion": ["mode": "mean"]])
            #expect(response.status == .badRequest, "\(response.status)")
            let message = try H.error(response)["message"] as? String ?? ""
            #expect(message.contains("'input[1].image'") && message.contains("vision"), "'\(message)'")
        }
    }

    @Test func aProjectionLimitsTheModesAndDimensions() async throws {
        let embedder = try await ImageRouteTests.clip()
        let size = embedder.info.dimension
        let url = try SafetensorsFixture.write([("weight", [4, 2 * size], Array(repeating: 0.5, count: 8 * size))])
        var configuration = ServerConfiguration()
        configuration.fusion = ServerFusion(mode: .concat, projection: url)
        let pair = ["text": "a cat", "image": try ImageRouteTests.image("rgb-32x32.png").base64EncodedString()]
        try await H.withServer(embedder, configuration: configuration) { client, _ in
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": [pair], "fusion": ["mode": "mean"]]), .badRequest,
                param: "fusion.mode", mentions: ["projection.safetensors", "made for \"concat\""])
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": [pair], "dimensions": 8]), .badRequest,
                param: "dimensions", mentions: ["fusion projection"])
        }
        // A projection whose input is not the mode's size stops the start, naming the file and shapes.
        configuration.fusion = ServerFusion(mode: .mean, projection: url)
        #expect {
            _ = try EmbeddingServer(configuration: configuration, embedder: embedder, logger: TestRuntime.logger)
        } throws: { error in
            let message = (error as? ServerError)?.message ?? ""
            return message.contains("projection.safetensors") && message.contains("expected [out, \(size)]")
        }
        configuration.fusion = ServerFusion(mode: nil, projection: url)
        #expect(throws: ServerError.self) { try configuration.validate() }
        configuration.fusion = ServerFusion(mode: .mean, weight: 1.5)
        #expect(throws: ServerError.self) { try configuration.validate() }
    }

    @Test func teiEmbedIsTextOnlyAndSaysWhereImagesGo() async throws {
        let png = try ImageRouteTests.image("rgb-32x32.png").base64EncodedString()
        try await H.withServer(try await ImageRouteTests.clip()) { client, _ in
            for route in ["/embed", "/"] {
                try H.expectError(
                    try await H.post(client, route, ["inputs": ["a", ["image": png]]]), .badRequest, param: "inputs",
                    mentions: ["'inputs[1]' is an object", "images go to POST /v1/embeddings"])
                try H.expectError(
                    try await H.post(client, route, ["inputs": ["a", "data:image/png;base64," + png]]), .badRequest, param: "inputs",
                    mentions: ["'inputs[1]' is a data:image URL", "images go to POST /v1/embeddings"])
            }
            try H.expectError(
                try await H.post(client, "/embed", ["inputs": ["image": png]]), .badRequest, param: "inputs",
                mentions: ["images go to POST /v1/embeddings"])
            try H.expectError(
                try await H.post(client, "/embed", ["inputs": "data:image/png;base64," + png]), .badRequest, param: "inputs",
                mentions: ["'inputs' is a data:image URL"])
            let text = try await H.post(client, "/embed", ["inputs": ["a data: URL is text unless it is data:image/...;base64,"]])
            #expect(text.status == .ok)
        }
    }
}
