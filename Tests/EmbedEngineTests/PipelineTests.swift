import EmbedCore
import EmbedEngine
import EmbedEngineTesting
import EmbedTestSupport
import EmbedTokenizers
import Synchronization
import Testing

/// The one pipeline with the test double of `EmbedEngineTesting`: batching under both
/// policies, cancellation, drain, admission and towers, with no ONNX Runtime.
struct PipelineTests {
    static let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]

    /// A text of `count` words (`count + 2` tokens with the word tokenizer).
    static func text(_ seed: Int, words count: Int) -> String {
        (0..<count).map { words[(seed * 7 + $0 * 3) % words.count] }.joined(separator: " ")
    }

    static func embedder(
        _ batching: BatchingConfiguration = .init(), backend: RecordingBackend, text: Bool = true,
        cache: EmbeddingCache.Configuration = .init(maxEntries: 0, maxBytes: 0)
    ) throws -> Embedder {
        try Embedder(
            model: .testing(backend: backend, text: text), configuration: EmbedderConfiguration(batching: batching, cache: cache),
            logger: TestRuntime.logger)
    }

    /// The vector the pipeline must return for `text` (normalised, as the test model does).
    static func expected(_ text: String) -> [Float] {
        VectorMath.l2Normalized(RecordingBackend.vector(of: WordTokenizer().encode(text, truncation: nil).ids, dimension: 8))
    }

    static func expectClose(_ actual: [Float], _ expected: [Float], _ comment: String) {
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(actual.count == expected.count && worst <= 1e-6, "max difference \(worst) > 1e-6: \(comment)")
    }

    /// Waits (bounded: 10 s) until `condition` holds.
    static func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<5_000 where !condition() { try await Task.sleep(for: .milliseconds(2)) }
        try #require(condition(), "never happened: \(what)")
    }

    /// Starts `texts` as concurrent online requests of one text each while the backend is
    /// held, then releases it; returns the answers in order.
    static func concurrent(_ texts: [String], _ embedder: Embedder, _ backend: RecordingBackend) async throws -> [[Float]] {
        backend.hold()
        let first = Task { try await embedder.embed([.text(texts[0])], policy: .online) }
        try await waitUntil("the first batch runs") { backend.blockedRuns == 1 }
        let rest = texts.dropFirst().map { text in Task { try await embedder.embed([.text(text)], policy: .online) } }
        try await waitUntil("all queued") { embedder.status.queuedInputs == texts.count - 1 }
        backend.release()
        var answers = [try await first.value.embeddings[0]]
        for task in rest { answers.append(try await task.value.embeddings[0]) }
        return answers
    }

    @Test func onlineBatchesStayUnderTheTokenBudgetAndTheSizeCap() async throws {
        let backend = RecordingBackend()
        let embedder = try Self.embedder(BatchingConfiguration(maxBatchSize: 6, maxBatchTokens: 60, maxPaddingRatio: 10), backend: backend)
        let texts = (0..<60).map { Self.text($0, words: 1 + ($0 * 5) % 17) }
        let answers = try await Self.concurrent(texts, embedder, backend)
        for (index, answer) in answers.enumerated() { Self.expectClose(answer, Self.expected(texts[index]), "text \(index)") }
        let runs = backend.runs
        #expect(runs.reduce(0) { $0 + $1.rows } == texts.count, "every input ran once")
        #expect(runs.count >= 12, "the budget split 60 inputs into at least 12 batches, got \(runs.count)")
        for run in runs {
            #expect(run.rows <= 6, "size cap: \(run)")
            #expect(run.paddedTokens <= 60 || run.rows == 1, "token budget: \(run)")
        }
    }

    @Test func onlineBatchesRespectThePaddingCap() async throws {
        let backend = RecordingBackend()
        let embedder = try Self.embedder(BatchingConfiguration(maxBatchSize: 32, maxBatchTokens: 4096, maxPaddingRatio: 1.25), backend: backend)
        let texts = (0..<40).map { Self.text($0, words: [1, 2, 10, 11, 30][$0 % 5]) }
        let answers = try await Self.concurrent(texts, embedder, backend)
        for (index, answer) in answers.enumerated() { Self.expectClose(answer, Self.expected(texts[index]), "text \(index)") }
        for run in backend.runs where run.rows > 1 {
            #expect(Double(run.paddedTokens) <= 1.25 * Double(run.realTokens) + 1e-9, "padding cap 1.25: \(run)")
        }
    }

    @Test func offlineBatchesAreSortedByLengthAndComeBackInOrder() async throws {
        let backend = RecordingBackend()
        let embedder = try Self.embedder(BatchingConfiguration(maxBatchSize: 8, maxBatchTokens: 100), backend: backend)
        let texts = (0..<100).map { Self.text($0, words: ($0 * 13) % 29) }
        let result = try await embedder.embedWithDetails(texts)
        for (index, vector) in result.embeddings.enumerated() { Self.expectClose(vector, Self.expected(texts[index]), "text \(index)") }
        let lengths = backend.runs.map(\.length)
        #expect(lengths == lengths.sorted(by: >), "longest first: \(lengths)")
        for run in backend.runs { #expect(run.rows <= 8 && (run.paddedTokens <= 100 || run.rows == 1), "\(run)") }
        #expect(result.tokenCounts == texts.map { $0.split(separator: " ").count + 2 })
        #expect(result.statistics?.batches.count == backend.runs.count)
    }

    @Test func aCancelledRequestIsDroppedBeforeItRuns() async throws {
        let backend = RecordingBackend()
        let embedder = try Self.embedder(backend: backend)
        backend.hold()
        let first = Task { try await embedder.embed([.text("first")], policy: .online) }
        try await Self.waitUntil("the first batch runs") { backend.blockedRuns == 1 }
        let others = ["second", "third", "fourth"].map { text in Task { try await embedder.embed([.text(text)], policy: .online) } }
        try await Self.waitUntil("three queued") { embedder.status.queuedInputs == 3 }
        others[1].cancel()
        try await Self.waitUntil("the cancelled input dropped") { embedder.status.queuedInputs == 2 }
        backend.release()
        _ = try await first.value
        Self.expectClose(try await others[0].value.embeddings[0], Self.expected("second"), "second")
        Self.expectClose(try await others[2].value.embeddings[0], Self.expected("fourth"), "fourth")
        await #expect(throws: EmbedError.self) { try await others[1].value }
        #expect(backend.runs.reduce(0) { $0 + $1.rows } == 3, "the cancelled input never ran")
        try await Self.waitUntil("nothing in flight") { embedder.status.inFlight == 0 }
    }

    @Test func aRequestWhoseCallerLeftIsDropped() async throws {
        let backend = RecordingBackend()
        let embedder = try Self.embedder(backend: backend)
        let wanted = Flag()
        backend.hold()
        let first = Task { try await embedder.embed([.text("first")], policy: .online) }
        try await Self.waitUntil("the first batch runs") { backend.blockedRuns == 1 }
        let gone = Task { try await embedder.embed([.text("gone")], policy: .online, isWanted: { wanted.isSet }) }
        try await Self.waitUntil("queued") { embedder.status.queuedInputs == 1 }
        wanted.clear()
        backend.release()
        _ = try await first.value
        do {
            _ = try await gone.value
            Issue.record("a request whose caller left must not be answered with vectors")
        } catch let error as EmbedError {
            #expect(error.code == .cancelled, "\(error)")
        }
        #expect(backend.runs.count == 1)
    }

    @Test func drainAnswersWhatWasAdmittedAndRefusesTheRest() async throws {
        let backend = RecordingBackend()
        let embedder = try Self.embedder(backend: backend)
        backend.hold()
        let admitted = ["one", "two"].map { text in Task { try await embedder.embed([.text(text)], policy: .online) } }
        try await Self.waitUntil("both admitted") { embedder.status.inFlight == 2 && backend.blockedRuns == 1 }
        let drained = Flag()
        drained.clear()
        let drain = Task {
            await embedder.drain()
            drained.set()
        }
        try await Self.waitUntil("draining") { embedder.status.isDraining }
        do {
            _ = try await embedder.embed(["late"])
            Issue.record("a request after drain began must be refused")
        } catch {
            #expect(error.code == .unavailable, "\(error)")
        }
        #expect(!drained.isSet, "drain waits while a batch is held")
        backend.release()
        for task in admitted { #expect(try await task.value.embeddings.count == 1) }
        await drain.value
        #expect(drained.isSet)
        #expect(embedder.status.inFlight == 0)
    }

    @Test func overTheAdmissionLimitIsOverloaded() async throws {
        let backend = RecordingBackend()
        let embedder = try Self.embedder(BatchingConfiguration(maxConcurrentRequests: 2), backend: backend)
        backend.hold()
        let admitted = ["one", "two"].map { text in Task { try await embedder.embed([.text(text)], policy: .online) } }
        try await Self.waitUntil("two in flight") { embedder.status.inFlight == 2 }
        do {
            _ = try await embedder.embed([.text("three")], policy: .online)
            Issue.record("the third request must be refused")
        } catch {
            #expect(error.code == .overloaded && error.message.contains("2"), "\(error)")
        }
        backend.release()
        for task in admitted { _ = try await task.value }
    }

    @Test func aModelWithoutTheTowerARequestNeedsSaysSo() async throws {
        let backend = RecordingBackend(towers: [.vision])
        let embedder = try Self.embedder(backend: backend, text: false)
        do {
            _ = try await embedder.embed(["a text"])
            Issue.record("a text for a model without a text tower must fail")
        } catch {
            #expect(error.code == .invalidInput && error.message.contains("no text tower"), "\(error)")
        }
        #expect(throws: EmbedError.self, "a text tower the backend does not run is refused at creation") {
            try Self.embedder(backend: RecordingBackend(towers: [.vision]))
        }
    }

    @Test func aFailingBatchFailsItsRequestsOnly() async throws {
        let backend = RecordingBackend()
        let embedder = try Self.embedder(backend: backend)
        backend.fail(with: EmbedError(.runtime, "the test backend failed"))
        await #expect(throws: EmbedError.self) { try await embedder.embed(["a"]) }
        backend.fail(with: nil)
        Self.expectClose(try await embedder.embed(["a"])[0], Self.expected("a"), "after the failure")
        #expect(embedder.status.inFlight == 0 && embedder.status.queuedInputs == 0)
    }

    @Test func bothPoliciesGiveTheSameVectorsAndOnlyOnlineUsesTheCache() async throws {
        let backend = RecordingBackend()
        let embedder = try Self.embedder(backend: backend, cache: .init())
        let texts = ["one text", "another text", "one text"]
        let offline = try await embedder.embed(texts.map(EmbeddingInput.text))
        #expect(embedder.cache.usage.entries == 0, "offline calls do not fill the cache")
        let online = try await embedder.embed(texts.map(EmbeddingInput.text), policy: .online)
        #expect(online.embeddings == offline.embeddings)
        #expect(online.tokenCounts == offline.tokenCounts)
        #expect(embedder.cache.usage.entries == 2)
        let runs = backend.runs.count
        let again = try await embedder.embed([.text("one text")], options: .init(dimensions: 4), policy: .online)
        #expect(backend.runs.count == runs, "a cache hit does not run the model")
        #expect(again.embeddings[0].count == 4)
        #expect(abs(VectorMath.norm(again.embeddings[0]) - 1) <= 1e-6, "re-normalised after Matryoshka truncation (1e-6)")
        await #expect(throws: EmbedError.self) { try await embedder.embed([.text("x")], options: .init(dimensions: 9)) }
        await #expect(throws: EmbedError.self) { try await embedder.embed([.text("x")], options: .init(dimensions: 0)) }
    }
}

/// A flag a test can clear and set from any thread.
final class Flag: Sendable {
    private let state = Mutex(true)
    var isSet: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
    func clear() { state.withLock { $0 = false } }
}
