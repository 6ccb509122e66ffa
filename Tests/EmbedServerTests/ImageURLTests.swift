import EmbedCore
import EmbedEngine
import EmbedServer
import EmbedTestSupport
import FakeHub
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Image URLs on `/v1/embeddings`: off by default; with `server.image_url_hosts` fetched from
/// those hosts only (redirects too), within the byte limit and the timeout, each failure a
/// JSON error naming the input and the URL. The origin is a real HTTP server on a free
/// loopback port.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct ImageURLTests {
    typealias H = ServerHarness

    /// Runs an image origin: `/cat.png` (a fixture), `/missing` (404), `/big` (limit + 1
    /// bytes), `/away` (a redirect to another host), `/hop` (a redirect to `/cat.png`),
    /// `/slow` (answers after 3 s).
    static func withOrigin<T: Sendable>(_ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
        let png = try ImageRouteTests.image("rgb-32x32.png")
        let router = Router()
        router.get("cat.png") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: png))) }
        router.get("big") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x89, count: png.count + 1))) }
        router.get("away") { _, _ in Response(status: .found, headers: [.location: "http://localhost.invalid/cat.png"]) }
        router.get("hop") { _, _ in Response(status: .found, headers: [.location: "/cat.png"]) }
        router.get("slow") { _, _ -> Response in
            try await Task.sleep(for: .seconds(3))
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: png)))
        }
        return try await LoopbackHTTPServer.run(router, label: "the image origin") { url in try await body(url.absoluteString) }
    }

    /// A generous timeout by default: the host running the tests may be busy (the timeout
    /// test asks for 1 s against an origin that answers after 3 s).
    static func configuration(hosts: [String], limit: Int = 10 << 20, timeout: Duration = .seconds(30)) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.imageURLs = ImageURLPolicy(allowedHosts: hosts, timeout: timeout, maxBytes: limit)
        return configuration
    }

    @Test func anAllowedURLGivesTheVectorOfTheSameBytes() async throws {
        let png = try ImageRouteTests.image("rgb-32x32.png")
        let clip = try await ImageRouteTests.clip()
        let direct = try await clip.embed([.image(png)]).embeddings[0]
        try await Self.withOrigin { origin in
            try await H.withServer(clip, configuration: Self.configuration(hosts: ["127.0.0.1"])) { client, _ in
                for body: [String: Any] in [
                    ["modality": "image", "input": ["\(origin)/cat.png", png.base64EncodedString()]],
                    ["input": [["image": "\(origin)/hop"], ["image": "\(origin)/cat.png"]]],
                ] {
                    let response = try await H.post(client, "/v1/embeddings", body)
                    #expect(response.status == .ok, "\(response.status): \(String(buffer: response.body))")
                    let data = try #require((try H.object(response) as? [String: Any])?["data"] as? [[String: Any]])
                    #expect(data.count == 2)
                    for item in data {
                        let vector = try #require(item["embedding"] as? [Double]).map(Float.init)
                        // The same bytes through the same engine: equal within float rounding (1e-6).
                        #expect(try VectorMath.cosine(vector, direct) >= 1 - 1e-6)
                    }
                }
            }
        }
    }

    @Test func urlsAreRefusedByDefaultAndOffTheAllowedHosts() async throws {
        try await H.withServer(try await ImageRouteTests.clip()) { client, _ in
            try H.expectError(
                try await H.post(client, "/v1/embeddings", ["input": [["image": "http://127.0.0.1:9/cat.png"]]]),
                .badRequest, param: "input", mentions: ["'input[0].image'", "does not fetch images", "server.image_url_hosts"])
        }
        let configuration = Self.configuration(hosts: ["images.example.com", "*.example.org", "localhost:1"])
        try await H.withServer(try await ImageRouteTests.clip(), configuration: configuration) { client, _ in
            for url in ["http://127.0.0.1:9/cat.png", "http://localhost:2/x.png", "http://example.org/x.png", "ftp://images.example.com/x"] {
                let response = try await H.post(client, "/v1/embeddings", ["modality": "image", "input": [url]])
                #expect(response.status == .badRequest, "\(url): \(response.status)")
            }
        }
        #expect(ImageURLPolicy(allowedHosts: ["*.example.org"]).allows(URL(string: "https://a.b.example.org/x")!))
        #expect(!ImageURLPolicy(allowedHosts: ["*.example.org"]).allows(URL(string: "https://evilexample.org/x")!))
        #expect(ImageURLPolicy(allowedHosts: ["localhost:1"]).allows(URL(string: "http://LOCALHOST:1/x")!))
        #expect(!ImageURLPolicy(allowedHosts: ["localhost"]).allows(URL(string: "file:///etc/passwd")!))
    }

    @Test func failedFetchesNameTheInputAndTheURL() async throws {
        let png = try ImageRouteTests.image("rgb-32x32.png")
        try await Self.withOrigin { origin in
            let configuration = Self.configuration(hosts: ["127.0.0.1"], limit: png.count)
            try await H.withServer(try await ImageRouteTests.clip(), configuration: configuration) { client, _ in
                func post(_ path: String) async throws -> TestResponse {
                    try await H.post(client, "/v1/embeddings", ["input": ["a cat", ["text": "a cat", "image": "\(origin)\(path)"]], "fusion": ["mode": "mean"]])
                }
                try H.expectError(try await post("/missing"), .badRequest, param: "input", mentions: ["'input[1].image'", "\(origin)/missing", "HTTP 404"])
                try H.expectError(try await post("/big"), .contentTooLarge, param: "input", mentions: ["'input[1].image'", "limit of \(png.count) bytes"])
                try H.expectError(try await post("/away"), .badRequest, param: "input", mentions: ["'input[1].image'", "localhost.invalid", "not allowed"])
                #expect(try await post("/cat.png").status == .ok)
            }
            let hurried = Self.configuration(hosts: ["127.0.0.1"], timeout: .seconds(1))
            try await H.withServer(try await ImageRouteTests.clip(), configuration: hurried) { client, _ in
                let response = try await H.post(client, "/v1/embeddings", ["input": [["image": "\(origin)/slow"]]])
                try H.expectError(response, .badRequest, param: "input", mentions: ["'input[0].image'", "\(origin)/slow", "longer than 1.0 s"])
            }
        }
    }

    @Test func badPoliciesAreRefused() {
        for policy in [
            ImageURLPolicy(allowedHosts: [""]), ImageURLPolicy(allowedHosts: ["https://x.com"]),
            ImageURLPolicy(allowedHosts: ["a"], timeout: .zero), ImageURLPolicy(allowedHosts: ["a"], maxBytes: 0),
        ] {
            var configuration = ServerConfiguration()
            configuration.imageURLs = policy
            #expect(throws: ServerError.self) { try configuration.validate() }
        }
    }
}
