import Dispatch
@testable import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Many requests at once through the server: each gets exactly its own vectors; admission
/// and draining refuse what they must (the engine's cancellation and drop tests, with the
/// test double, are in EmbedEngineTests/PipelineTests).
struct ConcurrencyTests {
    typealias H = ServerHarness

    /// 200 requests of 1 to 3 distinct texts each, all at once; every answer is compared with
    /// the embedder's own result for the same texts.
    func twoHundredConcurrentRequests(
        _ embedder: Embedder, texts: (Int, Int) -> String
    ) async throws {
        let requests = (0..<200).map { request in (0..<(1 + request % 3)).map { texts(request, $0) } }
        var expected: [[[Float]]] = []
        for inputs in requests { expected.append(try await embedder.embed(inputs)) }
        let wanted = expected
        try await H.withServer(embedder) { client, server in
            let answers = try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
                for (index, inputs) in requests.enumerated() {
                    group.addTask {
                        let response = try await H.post(client, "/v1/embeddings", ["input": inputs])
                        #expect(response.status == .ok, "request \(index)")
                        return (index, try H.openAIVectors(response))
                    }
                }
                var answers = [[[Float]]](repeating: [], count: requests.count)
                for try await (index, vectors) in group { answers[index] = vectors }
                return answers
            }
            for index in requests.indices {
                #expect(answers[index].count == wanted[index].count, "request \(index): one vector per input")
                for (actual, expected) in zip(answers[index], wanted[index]) {
                    H.expectClose(actual, expected, "request \(index)")
                }
            }
            #expect(embedder.status.inFlight == 0)
            #expect(embedder.status.queuedInputs == 0)
        }
    }

    @Test(arguments: [1, 3]) func concurrentRequestsGetTheirOwnVectorsHashing(workers: Int) async throws {
        let embedder = try await H.hashingEmbedder(.init(maxBatchSize: 16, workers: workers), cache: .init(maxEntries: 0, maxBytes: 0))
        try await twoHundredConcurrentRequests(embedder) { request, item in
            "request \(request) item \(item) " + String(repeating: "word ", count: (request * 7 + item) % 13)
        }
    }

    @Test(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
    func concurrentRequestsGetTheirOwnVectorsTinyModel() async throws {
        let words = ["hello", "world", "foo", "bar", "the"]
        try await twoHundredConcurrentRequests(try await H.tinyEmbedder(.init(maxBatchSize: 16, workers: 2))) { request, item in
            // Different lengths (1 to 6 words, up to the model's maximum) so batches pad.
            let count = 1 + (request + item) % 6
            return (0..<count).map { words[(request * 3 + item + $0 * $0) % words.count] }.joined(separator: " ")
        }
    }

    /// Blocks the embedder's inference thread until the returned semaphore is signalled.
    func blockInference(_ embedder: Embedder) -> DispatchSemaphore {
        let gate = DispatchSemaphore(value: 0)
        embedder.workers.submit(to: 0) { gate.wait() }
        return gate
    }

    /// Waits (bounded) until `condition` holds.
    func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<5_000 where !condition() { try await Task.sleep(for: .milliseconds(2)) }
        try #require(condition(), "never happened: \(what)")
    }

    @Test func overTheRequestLimitIs429AndDrainingIs503() async throws {
        let embedder = try await H.hashingEmbedder(.init(maxConcurrentRequests: 1))
        try await H.withServer(embedder) { client, server in
            let gate = blockInference(embedder)
            let first = Task { try await H.post(client, "/v1/embeddings", ["input": "first"]) }
            try await waitUntil("the first request queued") { embedder.status.queuedInputs == 1 }
            let second = try await H.post(client, "/v1/embeddings", ["input": "second"])
            #expect(second.status == .tooManyRequests)
            #expect((try H.error(second)["message"] as? String)?.contains("1") == true, "names the limit")
            server.host.beginDraining()
            let third = try await H.post(client, "/embed", ["inputs": "third"])
            #expect(third.status == .serviceUnavailable)
            gate.signal()
            #expect(try await first.value.status == .ok, "a request in flight is answered during draining")
        }
    }
}
