import EmbedCore
@testable import EmbedEngine
import EmbedORT
import EmbedTestSupport
import Foundation
import Testing

/// The optimised graph cache: saved on the first load, used on the next, replaced when
/// damaged or when the model changes (the old entry removed), skipped (never failing the load) when it cannot be
/// written; vectors equal to a load without the cache (tolerance 1e-6).
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct OptimizedModelCacheTests {
    static let texts = ["hello world", "foo bar the worlds", "the"]

    /// A copy of the tiny model (its file dates may be changed) and an empty cache folder.
    static func setUp() throws -> (model: URL, cache: OptimizedModelCache) {
        let root = try TestPaths.temporaryFolder()
        let model = root.appendingPathComponent("tiny-model")
        try FileManager.default.copyItem(at: TestPaths.fixture("tiny-model"), to: model)
        return (model, OptimizedModelCache(directory: root.appendingPathComponent("optimized")))
    }

    static func load(_ model: URL, cache: OptimizedModelCache?) async throws -> Embedder {
        try await Embedder(
            .folder(model), configuration: EmbedderConfiguration(optimizedModelCache: cache), logger: TestRuntime.logger)
    }

    static func expectSame(_ lhs: [[Float]], _ rhs: [[Float]]) {
        #expect(lhs.count == rhs.count)
        for (a, b) in zip(lhs, rhs) {
            #expect(a.count == b.count)
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-6, "max difference \(worst)")
        }
    }

    static func entries(_ cache: OptimizedModelCache) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: cache.directory.path).sorted()
    }

    @Test func theFirstLoadSavesTheGraphAndTheNextUsesIt() async throws {
        let (model, cache) = try Self.setUp()
        let plain = try await Self.load(model, cache: nil)
        #expect(plain.info.runtime?.optimizedGraph == nil)
        let first = try await Self.load(model, cache: cache)
        let saved = try #require(first.info.runtime?.optimizedGraph)
        #expect(saved.hasPrefix("optimised graph saved to"), "\(saved)")
        let entries = try Self.entries(cache)
        #expect(entries.count == 1 && entries[0].hasPrefix("model-"), "\(entries), no staging folder left")
        let entry = cache.directory.appendingPathComponent(entries[0])
        #expect(FileManager.default.fileExists(atPath: entry.appendingPathComponent("model.onnx").path))
        let second = try await Self.load(model, cache: cache)
        let loaded = try #require(second.info.runtime?.optimizedGraph)
        #expect(loaded == "optimised graph loaded from \(entry.path)")
        #expect(second.info.dimension == plain.info.dimension)
        let reference = try await plain.embed(Self.texts)
        Self.expectSame(try await first.embed(Self.texts), reference)
        Self.expectSame(try await second.embed(Self.texts), reference)
    }

    @Test func aDamagedEntryIsReplaced() async throws {
        let (model, cache) = try Self.setUp()
        let reference = try await Self.load(model, cache: nil).embed(Self.texts)
        _ = try await Self.load(model, cache: cache)
        let entry = cache.directory.appendingPathComponent(try Self.entries(cache)[0])
        try Data("not a model".utf8).write(to: entry.appendingPathComponent("model.onnx"))
        let again = try await Self.load(model, cache: cache)
        #expect(again.info.runtime?.optimizedGraph?.hasPrefix("optimised graph saved to") == true)
        Self.expectSame(try await again.embed(Self.texts), reference)
        let third = try await Self.load(model, cache: cache)
        #expect(third.info.runtime?.optimizedGraph?.hasPrefix("optimised graph loaded from") == true)
    }

    static func onnxFile(in model: URL) throws -> URL {
        try #require(
            ["onnx/model.onnx", "model.onnx"].map { model.appendingPathComponent($0) }
                .first { FileManager.default.fileExists(atPath: $0.path) })
    }

    @Test func aChangedModelGetsANewEntryAndTheOldOneIsRemoved() async throws {
        let (model, cache) = try Self.setUp()
        _ = try await Self.load(model, cache: cache)
        let before = try Self.entries(cache)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: try Self.onnxFile(in: model).path)
        let changed = try await Self.load(model, cache: cache)
        #expect(changed.info.runtime?.optimizedGraph?.hasPrefix("optimised graph saved to") == true)
        let after = try Self.entries(cache)
        #expect(before.count == 1 && after.count == 1 && after != before, "before \(before), after \(after)")
    }

    @Test func entriesOfOtherModelsStayAndThoseOfDeletedModelsGo() async throws {
        let (model, cache) = try Self.setUp()
        let root = model.deletingLastPathComponent()
        let other = root.appendingPathComponent("other-model")
        let gone = root.appendingPathComponent("gone-model")
        try FileManager.default.copyItem(at: model, to: other)
        try FileManager.default.copyItem(at: model, to: gone)
        // A folder the cache did not write (no source.json) is never touched.
        let foreign = cache.directory.appendingPathComponent("someone-elses")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        _ = try await Self.load(gone, cache: cache)
        _ = try await Self.load(other, cache: cache)
        #expect(try Self.entries(cache).count == 3)
        try FileManager.default.removeItem(at: gone)
        _ = try await Self.load(model, cache: cache)
        let entries = try Self.entries(cache)
        #expect(entries.count == 3, "\(entries): the deleted model's entry is removed, the other model's kept")
        #expect(entries.contains("someone-elses"))
        let sources = try entries.filter { $0 != "someone-elses" }.map { name in
            try JSONDecoder().decode(
                OptimizedModelCache.Source.self,
                from: Data(contentsOf: cache.directory.appendingPathComponent(name).appendingPathComponent("source.json")))
        }
        let models = Set(sources.map { URL(fileURLWithPath: $0.model).deletingLastPathComponent().path })
        #expect(!models.contains { $0.contains("gone-model") }, "\(models)")
        #expect(models.contains { $0.contains("other-model") } && models.contains { $0.contains("tiny-model") }, "\(models)")
        #expect(sources.allSatisfy { $0.level == ORTSessionOptions.GraphOptimizationLevel.extended.rawValue })
    }

    @Test func anUnwritableCacheIsSkippedAndSaysWhy() async throws {
        let (model, _) = try Self.setUp()
        // A regular file where the cache folder should be.
        let blocker = model.deletingLastPathComponent().appendingPathComponent("blocked")
        try Data("x".utf8).write(to: blocker)
        let cache = OptimizedModelCache(directory: blocker.appendingPathComponent("optimized"))
        let embedder = try await Self.load(model, cache: cache)
        let outcome = try #require(embedder.info.runtime?.optimizedGraph)
        #expect(outcome.hasPrefix("optimised graph cache not used: cannot write"), "\(outcome)")
        #expect(try await embedder.embed(["hello"]).count == 1)
    }

    @Test func theSavedLevelIsAtMostExtendedAndKeysDiffer() throws {
        #expect(OptimizedModelCache.savedLevel(.all) == .extended)
        #expect(OptimizedModelCache.savedLevel(.basic) == .basic)
        let (model, cache) = try Self.setUp()
        let file = try Self.onnxFile(in: model)
        let a = cache.entry(for: file, runtimeVersion: "1.31.1", level: .extended)
        let b = cache.entry(for: file, runtimeVersion: "1.32.0", level: .extended)
        let c = cache.entry(for: file, runtimeVersion: "1.31.1", level: .basic)
        #expect(a != nil && a != b && a != c && b != c)
        #expect(cache.entry(for: model.appendingPathComponent("missing.onnx"), runtimeVersion: "1", level: .basic) == nil)
    }
}
