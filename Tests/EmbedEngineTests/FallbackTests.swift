import EmbedCore
import EmbedEngine
import EmbedHub
import EmbedORT
import EmbedTestSupport
import Foundation
import Testing

/// Execution providers, the quantized → fp32 fallback and the hashing fallback.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct FallbackTests {
    let tinyModel = ModelSource.folder(TestPaths.fixture("tiny-model"))

    func load(_ source: ModelSource, _ configuration: EmbedderConfiguration) async throws(EmbedError) -> Embedder {
        try await Embedder(source, configuration: configuration, logger: TestRuntime.logger)
    }

    @Test func unavailableProviderFallsBackToCPU() async throws {
        let embedder = try await load(tinyModel, EmbedderConfiguration(providers: [.cuda, .coreML]))
        #expect(embedder.info.runtime?.executionProvider == "CPUExecutionProvider")
        #expect(embedder.info.engine.contains("CPUExecutionProvider"))
        #expect(embedder.info.fallbacks.count == 1)
        #expect(embedder.info.fallbacks.first?.hasPrefix("cpu: CUDAExecutionProvider is not available") == true)
        let result = try await embedder.embedWithDetails(["hello"])
        #expect(result.engine == embedder.info.engine)
    }

    @Test func providerNameTheRuntimeDoesNotKnowFallsBackToCPU() async throws {
        let unknown = ORTExecutionProvider(name: "NoSuchExecutionProvider", registration: .generic("NoSuch"))
        let embedder = try await load(tinyModel, EmbedderConfiguration(providers: [unknown]))
        #expect(embedder.info.runtime?.executionProvider == "CPUExecutionProvider")
        #expect(embedder.info.fallbacks.first?.contains("NoSuchExecutionProvider is not available") == true)
    }

    @Test func withoutCPUFallbackStartUpFailsListingWhatIsAvailable() async {
        do {
            _ = try await load(tinyModel, EmbedderConfiguration(providers: [.cuda], fallback: []))
            Issue.record("expected start-up to fail")
        } catch {
            #expect(error.code == .runtime)
            #expect(error.message.contains("Available in this ONNX Runtime:"))
            #expect(error.message.contains("CPUExecutionProvider"))
            #expect(error.message.contains("does not allow CPU"))
        }
    }

    /// A copy of the tiny model with a broken `onnx/model_quantized.onnx` next to the good fp32 graph.
    func folderWithCorruptQuantizedModel() throws -> URL {
        let folder = try TestPaths.temporaryFolder().appendingPathComponent("model")
        try FileManager.default.copyItem(at: TestPaths.fixture("tiny-model"), to: folder)
        let graph = try Data(contentsOf: folder.appendingPathComponent("onnx/model.onnx"))
        try graph.prefix(graph.count / 2).write(to: folder.appendingPathComponent("onnx/model_quantized.onnx"))
        return folder
    }

    @Test func brokenQuantizedModelFallsBackToFP32() async throws {
        let folder = try folderWithCorruptQuantizedModel()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let embedder = try await load(.folder(folder), EmbedderConfiguration(onnxFile: "onnx/model_quantized.onnx"))
        #expect(embedder.info.runtime?.onnxPath.hasSuffix("onnx/model.onnx") == true)
        #expect(embedder.info.fallbacks.first?.hasPrefix("fp32: quantized model model_quantized.onnx failed") == true)
        #expect(embedder.info.runtime?.quantization.isQuantized == false)
    }

    @Test func brokenQuantizedModelFailsWhenFP32FallbackIsOff() async throws {
        let folder = try folderWithCorruptQuantizedModel()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        do {
            _ = try await load(.folder(folder), EmbedderConfiguration(onnxFile: "onnx/model_quantized.onnx", fallback: [.cpu]))
            Issue.record("expected the broken quantized model to be refused")
        } catch {
            #expect(error.code == .invalidModel)
            #expect(error.message.contains("model_quantized.onnx"))
        }
    }

    /// A valid ONNX file with an operator ONNX Runtime does not have, named like a quantized
    /// model: a custom quantization scheme made elsewhere.
    func folderWithUnloadableQuantizedModel() throws -> URL {
        let folder = try TestPaths.temporaryFolder().appendingPathComponent("model")
        try FileManager.default.copyItem(at: TestPaths.fixture("tiny-model"), to: folder)
        try FileManager.default.copyItem(
            at: TestPaths.fixture("onnx/tiny_unknown_op.onnx"), to: folder.appendingPathComponent("onnx/model_quantized.onnx"))
        return folder
    }

    @Test func quantizedModelWithUnknownOperatorFallsBackToFP32() async throws {
        let folder = try folderWithUnloadableQuantizedModel()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let embedder = try await load(.folder(folder), EmbedderConfiguration(onnxFile: "onnx/model_quantized.onnx"))
        #expect(embedder.info.runtime?.onnxPath.hasSuffix("onnx/model.onnx") == true)
        let reason = embedder.info.fallbacks.first ?? ""
        #expect(reason.hasPrefix("fp32: quantized model model_quantized.onnx failed"), "\(reason)")
        #expect(reason.contains("Int4PackedGather"), "the reason names the operator: \(reason)")
        #expect(try await embedder.embed(["hello"])[0].count == 4)
    }

    @Test func quantizedModelWithUnknownOperatorFailsClearlyWithoutFallback() async throws {
        let folder = try folderWithUnloadableQuantizedModel()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        do {
            _ = try await load(.folder(folder), EmbedderConfiguration(onnxFile: "onnx/model_quantized.onnx", fallback: [.cpu]))
            Issue.record("expected the model to be refused")
        } catch {
            #expect(error.code == .invalidModel)
            #expect(error.message.contains("model_quantized.onnx"), "\(error.message)")
            #expect(error.message.contains("com.example.quant:Int4PackedGather"), "\(error.message)")
            #expect(error.message.contains("operator this ONNX Runtime does not implement"), "\(error.message)")
        }
    }

    @Test func hashingFallbackOnlyWhenConfigured() async throws {
        let missing = ModelSource.folder(TestPaths.fixture("no-such-model"))
        do {
            _ = try await load(missing, EmbedderConfiguration())
            Issue.record("expected the missing model to be refused")
        } catch {
            #expect(error.code == .modelNotFound)
        }
        let embedder = try await load(missing, EmbedderConfiguration(fallback: [.cpu, .hashing]))
        #expect(embedder.info.engine == "hashing (384 dimensions)")
        #expect(embedder.info.fallbacks.first?.hasPrefix("hashing: ") == true)
        #expect(try await embedder.embedWithDetails(["x"]).engine == "hashing (384 dimensions)")
    }

    @Test func missingRuntimeLibraryFallsBackToHashingOnlyWhenConfigured() async throws {
        let library = ORTLibraryConfiguration(path: "/nonexistent/libonnxruntime.so", environment: [:])
        let model = ModelSource.folder(TestPaths.fixture("tiny-model"))
        do {
            _ = try await load(model, EmbedderConfiguration(library: library))
            Issue.record("expected the missing ONNX Runtime library to be an error")
        } catch {
            #expect(error.code == .runtime)
            #expect(error.message.contains("/nonexistent/libonnxruntime.so"), "\(error.message)")
        }
        let embedder = try await load(model, EmbedderConfiguration(library: library, fallback: [.cpu, .hashing]))
        #expect(embedder.info.engine == "hashing (384 dimensions)")
        #expect(embedder.info.fallbacks.first?.contains("/nonexistent/libonnxruntime.so") == true, "\(embedder.info.fallbacks)")
        let result = try await embedder.embedWithDetails(["a text"])
        #expect(result.engine == "hashing (384 dimensions)")
        #expect(abs(VectorMath.norm(result.embeddings[0]) - 1) < 1e-5, "unit length within 1e-5")
    }

    @Test func failedDownloadFallsBackToHashingOnlyWhenConfigured() async throws {
        let hub = HubConfiguration(
            endpoint: URL(string: "http://127.0.0.1:9")!, token: nil,
            cacheDirectory: try TestPaths.temporaryFolder(), offline: false)
        let model = ModelSource.hub(try ModelID("test-org/unreachable"), revision: .main)
        do {
            _ = try await load(model, EmbedderConfiguration(hub: hub))
            Issue.record("expected the unreachable hub to be an error")
        } catch {
            #expect(error.code == .download)
            #expect(error.message.contains("cannot reach http://127.0.0.1:9"), "\(error.message)")
        }
        let embedder = try await load(model, EmbedderConfiguration(hub: hub, fallback: [.hashing]))
        #expect(embedder.info.engine == "hashing (384 dimensions)")
        #expect(embedder.info.fallbacks.first?.contains("cannot reach") == true, "\(embedder.info.fallbacks)")
    }
}

/// The hashing engine alone: no runtime needed.
struct HashingEngineTests {
    @Test func fnv1aMatchesPublishedVectors() {
        // FNV-1a 64-bit test vectors from the FNV reference.
        #expect(HashingEngine.fnv1a([]) == 0xCBF2_9CE4_8422_2325)
        #expect(HashingEngine.fnv1a(Array("a".utf8)) == 0xAF63_DC4C_8601_EC8C)
        #expect(HashingEngine.fnv1a(Array("foobar".utf8)) == 0x8594_4171_F739_67E8)
    }

    @Test func vectorsAreUnitLengthAndDeterministic() throws {
        let engine = try HashingEngine(dimension: 64)
        let (vector, words) = engine.embed("The quick brown fox, the LAZY dog!")
        #expect(vector.count == 64)
        #expect(words == 7)
        #expect(abs(VectorMath.norm(vector) - 1) <= 1e-6, "unit norm, tolerance 1e-6")
        #expect(engine.embed("The quick brown fox, the LAZY dog!").vector == vector)
        #expect(engine.embed("the quick brown fox the lazy dog").vector == vector, "ASCII case and punctuation are ignored")
        #expect(engine.embed("").vector == [Float](repeating: 0, count: 64))
        #expect(engine.embed("...").words == 0)
    }

    @Test func sharedWordsMakeVectorsCloser() throws {
        let engine = try HashingEngine()
        let a = engine.embed("embedding models for semantic search").vector
        let b = engine.embed("semantic search with embedding models").vector
        let c = engine.embed("quarterly revenue grew in Europe").vector
        #expect(try VectorMath.cosine(a, b) > VectorMath.cosine(a, c) + 0.3)
    }

    @Test func engineNeedsNoModel() async throws {
        let embedder = try await Embedder(
            .folder(URL(fileURLWithPath: "/nonexistent")), configuration: EmbedderConfiguration(engine: .hashing, hashingDimension: 32),
            logger: TestRuntime.logger)
        let result = try await embedder.embedWithDetails(["a b", "c"])
        #expect(result.engine == "hashing (32 dimensions)")
        #expect(result.tokenCounts == [2, 1])
        #expect(embedder.info.runtime == nil)
        #expect(throws: EmbedError.self) { try embedder.encode("x") }
        #expect(throws: EmbedError.self) { try HashingEngine(dimension: 0) }
    }
}
