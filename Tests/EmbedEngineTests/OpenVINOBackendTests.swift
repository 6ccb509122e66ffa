import EmbedCore
import EmbedEngine
import EmbedOpenVINO
import EmbedTestSupport
import Foundation
import Testing

/// `runtime: openvino` against ONNX Runtime and PyTorch: the real all-MiniLM-L6-v2 and the
/// tiny family models at f32 and bf16, the fallbacks (missing library, quantized model) and
/// what the results report. Needs OpenVINO (`make setup` installs it; without
/// `EMBED_REQUIRE_RUNTIME=1` the suite is skipped when the library is missing).
@Suite(
    .enabled(
        if: TestRuntime.isAvailable && (TestRuntime.isRequired || (try? OVLibrary.load()) != nil),
        "needs ONNX Runtime and OpenVINO: run `make setup`"))
struct OpenVINOBackendTests {
    /// f32 against ONNX Runtime fp32: the same graph in the same precision.
    static let f32Cosine: Float = 0.99999
    /// bf16 against fp32: the project's quality rule (measured minimum 0.99994 on MiniLM).
    static let bf16Cosine: Float = 0.9999

    static let texts = [
        "A man is eating food.", "The girl is carrying a baby.", "Un homme mange du pain.",
        "Stock markets fell sharply on Monday after the central bank raised interest rates again.",
        String(repeating: "Embeddings turn text into vectors for semantic search and retrieval. ", count: 40),
        "", "🙂 emoji and ümlauts", "short",
    ]

    static var hasNativeBF16: Bool {
        (try? OVCore(logger: TestRuntime.logger).supportsNativeBF16()) ?? false
    }

    static func configuration(_ precision: OpenVINOConfiguration.Precision, fallback: EmbedderConfiguration.Fallback = [])
        -> EmbedderConfiguration
    {
        EmbedderConfiguration(
            runtime: .openVINO, openVINO: OpenVINOConfiguration(precision: precision), fallback: fallback)
    }

    static func minimumCosine(_ lhs: [[Float]], _ rhs: [[Float]]) throws -> Float {
        try #require(lhs.count == rhs.count)
        return try zip(lhs, rhs).map { try VectorMath.cosine($0, $1) }.min() ?? -1
    }

    @Test(.enabled(if: TestRuntime.isRealModelAvailable || TestRuntime.isRequired, "needs the real model"))
    func realModelMatchesONNXRuntimeAtF32() async throws {
        let folder = ModelSource.folder(TestRuntime.realModelFolder)
        let ort = try await Embedder(folder, logger: TestRuntime.logger)
        let openVINO = try await Embedder(folder, configuration: Self.configuration(.f32), logger: TestRuntime.logger)
        #expect(openVINO.info.engine.hasPrefix("openvino "))
        #expect(openVINO.info.engine.hasSuffix("(CPU, f32)"), "\(openVINO.info.engine)")
        #expect(openVINO.info.runtime?.runtime == "openvino")
        #expect(openVINO.info.runtime?.inferencePrecision == "f32")
        #expect(openVINO.info.fallbacks.isEmpty)
        let result = try await openVINO.embedWithDetails(Self.texts)
        #expect(result.engine == openVINO.info.engine)
        let cosine = try Self.minimumCosine(result.embeddings, try await ort.embed(Self.texts))
        #expect(cosine >= Self.f32Cosine, "min cosine \(cosine), need ≥ \(Self.f32Cosine)")
    }

    @Test(.enabled(if: TestRuntime.isRealModelAvailable || TestRuntime.isRequired, "needs the real model"))
    func realModelAtBF16KeepsTheQualityRuleOrIsRefusedWithoutNativeBF16() async throws {
        let folder = ModelSource.folder(TestRuntime.realModelFolder)
        guard Self.hasNativeBF16 else {
            await #expect(throws: EmbedError.self) {
                _ = try await Embedder(folder, configuration: Self.configuration(.bf16), logger: TestRuntime.logger)
            }
            return
        }
        let ort = try await Embedder(folder, logger: TestRuntime.logger)
        let openVINO = try await Embedder(folder, configuration: Self.configuration(.bf16), logger: TestRuntime.logger)
        #expect(openVINO.info.engine.hasSuffix("(CPU, bf16)"), "\(openVINO.info.engine)")
        #expect(openVINO.info.runtime?.inferencePrecision == "bf16")
        let cosine = try Self.minimumCosine(try await openVINO.embed(Self.texts), try await ort.embed(Self.texts))
        #expect(cosine >= Self.bf16Cosine, "min cosine \(cosine), need ≥ \(Self.bf16Cosine)")
        #expect(cosine < 0.9999999, "bf16 that equals fp32 to 1e-7 was not bf16")
    }

    /// Every tiny family model's default variant against PyTorch, at f32 (and bf16 with
    /// the same rule where the CPU has it).
    @Test(arguments: ["bert", "distilbert", "mpnet", "xlm-roberta"])
    func familyModelsMatchPyTorch(_ family: String) async throws {
        let reference = try FamilyModelTests.reference(family)
        guard let expected = reference.results.first(where: { $0.variant == "default" && $0.prompt == nil && $0.prompt_name == nil })
        else { throw EmbedError(.invalidModel, "no default result in \(family)'s reference") }
        let precisions: [OpenVINOConfiguration.Precision] = Self.hasNativeBF16 ? [.f32, .bf16] : [.f32]
        for precision in precisions {
            let embedder = try await Embedder(
                .folder(FamilyModelTests.folder(family)), configuration: Self.configuration(precision),
                logger: TestRuntime.logger)
            #expect(embedder.info.runtime?.inferencePrecision == precision.rawValue)
            let vectors = try await embedder.embed(reference.texts, options: EmbeddingOptions(prompt: .none))
            let cosine = try Self.minimumCosine(vectors, expected.embeddings)
            let need = precision == .f32 ? FamilyModelTests.minimumCosine : Self.bf16Cosine
            #expect(cosine >= need, "\(family) \(precision): min cosine \(cosine) against PyTorch, need ≥ \(need)")
        }
    }

    @Test func missingLibraryFallsBackToONNXRuntimeAndSaysWhy() async throws {
        var configuration = Self.configuration(.f32, fallback: [.onnxRuntime])
        configuration.openVINO.library = OVLibraryConfiguration(path: "/nonexistent/libopenvino_c.so", environment: [:])
        let embedder = try await Embedder(.folder(TestPaths.fixture("tiny-model")), configuration: configuration,
            logger: TestRuntime.logger)
        #expect(embedder.info.engine.hasPrefix("onnxruntime "))
        #expect(embedder.info.runtime?.runtime == "onnxruntime")
        #expect(embedder.info.fallbacks.first?.hasPrefix("onnxruntime: OpenVINO cannot run model.onnx") == true,
            "\(embedder.info.fallbacks)")
    }

    @Test func missingLibraryWithoutTheFallbackIsAnError() async throws {
        var configuration = Self.configuration(.f32)
        configuration.openVINO.library = OVLibraryConfiguration(path: "/nonexistent/libopenvino_c.so", environment: [:])
        do {
            _ = try await Embedder(.folder(TestPaths.fixture("tiny-model")), configuration: configuration,
                logger: TestRuntime.logger)
            Issue.record("expected the load to fail")
        } catch {
            #expect(error.code == .runtime)
            #expect(error.message.contains("OpenVINO cannot run"), "\(error.message)")
        }
    }

    @Test(.enabled(if: TestRuntime.isRealModelAvailable || TestRuntime.isRequired, "needs the real model"))
    func quantizedModelsStayOnONNXRuntime() async throws {
        var configuration = Self.configuration(.f32)
        configuration.onnxFile = "onnx/model_quantized.onnx"
        let embedder = try await Embedder(.folder(TestRuntime.realModelFolder), configuration: configuration,
            logger: TestRuntime.logger)
        #expect(embedder.info.engine.hasPrefix("onnxruntime "))
        #expect(embedder.info.fallbacks.first?.hasPrefix("onnxruntime: quantized models run on ONNX Runtime") == true,
            "\(embedder.info.fallbacks)")
    }
}
