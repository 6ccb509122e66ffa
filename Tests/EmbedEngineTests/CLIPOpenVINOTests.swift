import EmbedCore
import EmbedEngine
import EmbedHub
import EmbedOpenVINO
import EmbedTestSupport
import Foundation
import Testing

/// The tiny CLIP's towers on OpenVINO (`runtime: openvino`) against the same files on ONNX
/// Runtime: f32 and bf16 (explicit, reported in the engine name and RuntimeDetails), the
/// int8 towers staying on ONNX Runtime with the reason recorded. Needs OpenVINO (skipped
/// without it unless `EMBED_REQUIRE_RUNTIME=1`).
@Suite(
    .enabled(
        if: TestRuntime.isAvailable && (TestRuntime.isRequired || (try? OVLibrary.load()) != nil),
        "needs ONNX Runtime and OpenVINO: run `make setup`"))
struct CLIPOpenVINOTests {
    /// f32 against ONNX Runtime fp32: the same graph in the same precision.
    static let f32Cosine: Float = 0.9999
    /// bf16 against ONNX Runtime fp32 on the tiny towers: the project's rule (0.9999) is not
    /// reachable here. bf16 keeps 8 bits of mantissa, and the tiny towers' random weights in
    /// 32-wide layers leave nothing to average the rounding out: measured minimum 0.99945
    /// image, 0.99915 text (AVX512_BF16, OpenVINO 2026.4.1; the test prints them). Asserted:
    /// 0.998, below that with room for other bf16 kernels (AMX). The full-size ViT-B/32 meets
    /// the rule on real images (0.999988 over 500, bench/clip_openvino.py, docs/images.md).
    static let bf16Cosine: Float = 0.998

    static func configuration(_ precision: OpenVINOConfiguration.Precision?, quantized: Bool = false) -> EmbedderConfiguration {
        var configuration = EmbedderConfiguration(images: ImageInputConfiguration(appliesOrientation: false))
        if let precision {
            configuration.runtime = .openVINO
            configuration.openVINO = OpenVINOConfiguration(precision: precision)
            configuration.fallback = []
        }
        if quantized { configuration.variant = .quantized }
        return configuration
    }

    static func embedAll(_ embedder: Embedder) async throws -> (texts: [[Float]], images: [[Float]], engine: String) {
        let texts = try CLIPFixtures.texts().map(\.text)
        let images = try CLIPFixtures.images().map { EmbeddingInput.image(try CLIPFixtures.bytes($0)) }
        let textResult = try await embedder.embed(texts.map(EmbeddingInput.text))
        let imageResult = try await embedder.embed(images)
        #expect(textResult.engine == embedder.info.engine)
        return (textResult.embeddings, imageResult.embeddings, imageResult.engine)
    }

    static func minimumCosine(_ lhs: [[Float]], _ rhs: [[Float]]) throws -> Float {
        try #require(lhs.count == rhs.count && !lhs.isEmpty)
        return try zip(lhs, rhs).map { try VectorMath.cosine($0, $1) }.min() ?? -1
    }

    static func load(_ configuration: EmbedderConfiguration) async throws -> Embedder {
        try await Embedder(.folder(CLIPFixtures.tiny), configuration: configuration, logger: TestRuntime.logger)
    }

    @Test func towersAtF32MatchONNXRuntime() async throws {
        let ort = try await Self.embedAll(try await Self.load(Self.configuration(nil)))
        let embedder = try await Self.load(Self.configuration(.f32))
        #expect(embedder.info.engine.hasPrefix("openvino "), "\(embedder.info.engine)")
        #expect(embedder.info.engine.hasSuffix("(CPU, f32)"), "\(embedder.info.engine)")
        #expect(embedder.info.runtime?.runtime == "openvino")
        #expect(embedder.info.runtime?.inferencePrecision == "f32")
        #expect(embedder.info.fallbacks.isEmpty, "\(embedder.info.fallbacks)")
        let openVINO = try await Self.embedAll(embedder)
        #expect(openVINO.engine == embedder.info.engine)
        let text = try Self.minimumCosine(openVINO.texts, ort.texts)
        let image = try Self.minimumCosine(openVINO.images, ort.images)
        print("CLIP OpenVINO f32 vs ONNX Runtime: min cosine text \(text), image \(image)")
        #expect(text >= Self.f32Cosine, "text min cosine \(text)")
        #expect(image >= Self.f32Cosine, "image min cosine \(image)")
    }

    @Test func towersAtBF16KeepATolerance() async throws {
        guard (try? OVCore(logger: TestRuntime.logger).supportsNativeBF16()) ?? false else {
            await #expect(throws: EmbedError.self) { _ = try await Self.load(Self.configuration(.bf16)) }
            return
        }
        let ort = try await Self.embedAll(try await Self.load(Self.configuration(nil)))
        let embedder = try await Self.load(Self.configuration(.bf16))
        #expect(embedder.info.engine.hasSuffix("(CPU, bf16)"), "\(embedder.info.engine)")
        #expect(embedder.info.runtime?.inferencePrecision == "bf16")
        let openVINO = try await Self.embedAll(embedder)
        let text = try Self.minimumCosine(openVINO.texts, ort.texts)
        let image = try Self.minimumCosine(openVINO.images, ort.images)
        print("CLIP OpenVINO bf16 vs ONNX Runtime fp32: min cosine text \(text), image \(image)")
        #expect(text >= Self.bf16Cosine, "text min cosine \(text)")
        #expect(image >= Self.bf16Cosine, "image min cosine \(image)")
        #expect(min(text, image) < 0.9999999, "bf16 that equals fp32 to 1e-7 was not bf16")
    }

    @Test func quantizedTowersStayOnONNXRuntimeWithTheReason() async throws {
        let embedder = try await Self.load(Self.configuration(.f32, quantized: true))
        #expect(embedder.info.engine.hasPrefix("onnxruntime "), "\(embedder.info.engine)")
        #expect(embedder.info.fallbacks.count == 2, "\(embedder.info.fallbacks)")
        #expect(embedder.info.fallbacks.allSatisfy { $0.contains("quantized") }, "\(embedder.info.fallbacks)")
        let images = try CLIPFixtures.images().prefix(2).map { EmbeddingInput.image(try CLIPFixtures.bytes($0)) }
        #expect(try await embedder.embed(Array(images)).embeddings.count == 2)
    }
}
