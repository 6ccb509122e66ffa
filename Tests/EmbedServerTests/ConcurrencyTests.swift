import Dispatch
@testable import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Many requests at once through the scheduler: each gets exactly its own vectors; a
/// cancelled request leaves the others alone; admission and draining refuse what they must.
struct ConcurrencyTests {
    typealias H = ServerHarness

    /// 200 requests of 1 to 3 distinct texts each, all at once; every answer is compared with
    /// the embedder's own result for the same texts.
    func twoHundredConcurrentRequests(
        _ embedder: Embedder, workers: Int = 1, texts: (Int, Int) -> String
    ) async throws {
        let requests = (0..<200).map { request in (0..<(1 + request % 3)).map { texts(request, $0) } }
        var expected: [[[Float]]] = []
        for inputs in requests { expected.append(try await embedder.embed(inputs)) }
        let wanted = expected
        var configuration = ServerConfiguration()
        configuration.scheduler.maxBatchSize = 16
        configuration.scheduler.workers = workers
        configuration.scheduler.cache = .init(maxEntries: 0, maxBytes: 0)
        try await H.withServer(embedder, configuration: configuration) { client, server in
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
            let status = server.host.current
            if case .ready(let scheduler, _) = status {
                #expect(scheduler.status.inFlight == 0)
                #expect(scheduler.status.queuedInputs == 0)
            }
        }
    }

    @Test(arguments: [1, 3]) func concurrentRequestsGetTheirOwnVectorsHashing(workers: Int) async throws {
        try await twoHundredConcurrentRequests(try await H.hashingEmbedder(), workers: workers) { request, item in
            "request \(request) item \(item) " + String(repeating: "word ", count: (request * 7 + item) % 13)
        }
    }

    @Test(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
    func concurrentRequestsGetTheirOwnVectorsTinyModel() async throws {
        let words = ["hello", "world", "foo", "bar", "the"]
        try await twoHundredConcurrentRequests(try await H.tinyEmbedder(), workers: 2) { request, item in
            // Different lengths (1 to 6 words, up to the model's maximum) so batches pad.
            let count = 1 + (request + item) % 6
            return (0..<count).map { words[(request * 3 + item + $0 * $0) % words.count] }.joined(separator: " ")
        }
    }

    /// Blocks the embedder's inference thread until the returned semaphore is signalled.
    func blockInference(_ embedder: Embedder) -> DispatchSemaphore {
        let gate = DispatchSemaphore(value: 0)
        embedder.queue.submit { gate.wait() }
        return gate
    }

    /// Waits (bounded) until `condition` holds.
    func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<5_000 where !condition() { try await Task.sleep(for: .milliseconds(2)) }
        try #require(condition(), "never happened: \(what)")
    }

    @Test func aCancelledRequestIsDroppedAndTheOthersAreAnswered() async throws {
        let embedder = try await H.hashingEmbedder()
        let scheduler = try EmbeddingScheduler(
            embedder: embedder, configuration: .init(cache: .init(maxEntries: 0, maxBytes: 0)), logger: TestRuntime.logger)
        let texts = (0..<5).map { "text number \($0)" }
        let expected = try await embedder.embed(texts)
        let gate = blockInference(embedder)
        let tasks = texts.map { text in
            Task { try await scheduler.embed([.text(text)]) }
        }
        try await waitUntil("all five queued") { scheduler.status.queuedInputs == 5 }
        tasks[2].cancel()
        try await waitUntil("the cancelled input dropped") { scheduler.status.queuedInputs == 4 }
        gate.signal()
        for (index, task) in tasks.enumerated() {
            if index == 2 {
                await #expect(throws: EmbedError.self) { try await task.value }
                continue
            }
            H.expectClose(try await task.value.embeddings[0], expected[index], "request \(index)")
        }
        try await waitUntil("nothing left in flight") { scheduler.status.inFlight == 0 }
        #expect(scheduler.status.queuedInputs == 0)
    }

    @Test func aRequestWhoseClientLeftIsDroppedBeforeItRuns() async throws {
        let embedder = try await H.hashingEmbedder()
        let scheduler = try EmbeddingScheduler(
            embedder: embedder, configuration: .init(cache: .init(maxEntries: 0, maxBytes: 0)), logger: TestRuntime.logger)
        let connected = [ConnectionFlag(), ConnectionFlag(), ConnectionFlag()]
        let gate = blockInference(embedder)
        let tasks = connected.enumerated().map { index, flag in
            Task { try await scheduler.embed([.text("text \(index)")], isWanted: { flag.isConnected }) }
        }
        try await waitUntil("all three queued") { scheduler.status.queuedInputs == 3 }
        connected[1].disconnect()
        gate.signal()
        #expect(try await tasks[0].value.embeddings.count == 1)
        #expect(try await tasks[2].value.embeddings.count == 1)
        do {
            _ = try await tasks[1].value
            Issue.record("the request of a client that left must not be answered with vectors")
        } catch let error as EmbedError {
            #expect(error.code == .cancelled, "\(error)")
        }
    }

    @Test func overTheRequestLimitIs429AndDrainingIs503() async throws {
        let embedder = try await H.hashingEmbedder()
        var configuration = ServerConfiguration()
        configuration.scheduler.maxConcurrentRequests = 1
        try await H.withServer(embedder, configuration: configuration) { client, server in
            guard case .ready(let scheduler, _) = server.host.current else {
                Issue.record("the server is not ready")
                return
            }
            let gate = blockInference(embedder)
            let first = Task { try await H.post(client, "/v1/embeddings", ["input": "first"]) }
            try await waitUntil("the first request queued") { scheduler.status.queuedInputs == 1 }
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

/// A stand-in for a client connection that a test can close.
final class ConnectionFlag: Sendable {
    private let state = Mutex(true)
    var isConnected: Bool { state.withLock { $0 } }
    func disconnect() { state.withLock { $0 = false } }
}
