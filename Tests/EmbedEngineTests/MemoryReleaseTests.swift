import EmbedEngine
import EmbedTestSupport
import Testing

/// The idle heap release of a long-running server: once after activity, never while idle
/// twice in a row.
struct MemoryReleaseTests {
    @Test func theHeapIsGivenBackOnceAfterRequestsAndNotAgainUntilMoreCome() async throws {
        let embedder = try await Embedder(
            .folder(TestPaths.fixture("tiny-model")), configuration: EmbedderConfiguration(engine: .hashing),
            logger: TestRuntime.logger)
        #expect(await embedder.releaseFreeMemoryIfIdle() == false, "nothing served yet")
        _ = try await embedder.embed(["one", "two"])
        #expect(await embedder.releaseFreeMemoryIfIdle() == true, "due after a request")
        #expect(await embedder.releaseFreeMemoryIfIdle() == false, "not again while idle")
        _ = try await embedder.embed(["three"])
        #expect(await embedder.releaseFreeMemoryIfIdle() == true)
    }
}
