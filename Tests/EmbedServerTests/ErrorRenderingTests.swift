import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Server errors render themselves: the same envelope and status wherever they are thrown,
/// other HTTP errors keep their status, `param` names the route's own field.
struct ErrorRenderingTests {
    typealias H = ServerHarness

    @Test func aServerErrorThrownOutsideTheServersMiddlewareRendersItself() async throws {
        // A bare Hummingbird router, none of the server's middleware.
        let router = Router()
        router.get("/refused") { _, _ -> String in
            throw ServerError(.overloaded, "too many concurrent requests (the limit is 1); retry later")
        }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/refused", method: .get)
            #expect(response.status == .tooManyRequests)
            #expect(response.headers[.contentType] == "application/json")
            let error = try H.error(response)
            #expect(error["type"] as? String == "rate_limit_error")
            #expect(error["code"] as? String == "overloaded")
        }
    }

    @Test func otherHTTPErrorsKeepTheirStatus() {
        let methodNotAllowed = ServerError.wrapping(HTTPError(.methodNotAllowed, message: "use POST"))
        #expect(methodNotAllowed.status == .methodNotAllowed)
        #expect(methodNotAllowed.message == "use POST")
        let teapot = ServerError.wrapping(HTTPError(.init(code: 418)))
        #expect(teapot.status.code == 418)
        #expect(ServerError.wrapping(HTTPError(.contentTooLarge)).kind == .payloadTooLarge)
        #expect(ServerError.wrapping(HTTPError(.badGateway)).kind == .internalError, "a 5xx from below says no more")
        #expect(ServerError.wrapping(CocoaError(.fileNoSuchFile)).kind == .internalError)
    }

    @Test(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
    func paramNamesTheFieldOfTheRouteItCameFrom() async throws {
        var strict = ServerConfiguration()
        strict.truncateByDefault = false
        // 10 words: 12 tokens, over the tiny model's maximum of 8.
        let long = "hello world foo bar the hello world foo bar the"
        try await H.withServer(try await H.tinyEmbedder(), configuration: strict) { client, _ in
            let tei = try await H.post(client, "/embed", ["inputs": ["a", long]])
            #expect(tei.status == .contentTooLarge)
            #expect(try H.error(tei)["param"] as? String == "inputs")
            let openAI = try await H.post(client, "/v1/embeddings", ["input": ["a", long]])
            #expect(openAI.status == .contentTooLarge)
            #expect(try H.error(openAI)["param"] as? String == "input")
            let dimensions = try await H.post(client, "/embed", ["inputs": "a", "dimensions": 0])
            #expect(dimensions.status == .badRequest)
            #expect(try H.error(dimensions)["param"] as? String == "dimensions")
        }
    }
}
