import EmbedCore
import EmbedEngine
import EmbedTestSupport
import Foundation
import Testing

/// The real all-MiniLM-L6-v2 against sentence-transformers on PyTorch. Needs `make setup`
/// (the exported ONNX files and `.cache/reference/all-MiniLM-L6-v2.json`, written by
/// `scripts/make_reference.py`).
@Suite(
    .enabled(if: TestRuntime.isRealModelAvailable, "needs the real model: run `make setup`"),
    .serialized)
struct RealModelTests {
    struct Reference: Decodable {
        var sentences: [String]
        var embeddings: [[Float]]
        var max_seq_length: Int
    }

    static func reference() throws -> Reference {
        let url = TestPaths.cache.appendingPathComponent("reference/all-MiniLM-L6-v2.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    static func embedder(onnxFile: String? = nil, maxBatchSize: Int = 32) async throws -> Embedder {
        try await Embedder(
            .folder(TestRuntime.realModelFolder),
            configuration: EmbedderConfiguration(batching: BatchingConfiguration(maxBatchSize: maxBatchSize), onnxFile: onnxFile),
            logger: TestRuntime.logger)
    }

    static func cosines(_ embeddings: [[Float]], _ reference: [[Float]]) throws -> [Float] {
        try zip(embeddings, reference).map { try VectorMath.cosine($0, $1) }
    }

    static func maxDifference(_ a: [[Float]], _ b: [[Float]]) -> Float {
        zip(a, b).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
    }

    @Test func referenceIsComplete() throws {
        let reference = try Self.reference()
        #expect(reference.sentences.count >= 300)
        #expect(reference.sentences.count == reference.embeddings.count)
        #expect(reference.sentences.contains(""))
    }

    @Test func modelIsDescribedFromItsFiles() async throws {
        let info = try await Self.embedder().info
        #expect(info.dimension == 384)
        #expect(info.pooling == .mean)
        #expect(info.normalize)
        #expect(info.maxLength.value == 256)
        #expect(info.runtime?.onnxPath.hasSuffix("onnx/model.onnx") == true)
        #expect(info.runtime?.quantization.isQuantized == false)
    }

    /// fp32: every sentence ≥ 0.9999 cosine to PyTorch.
    @Test func fp32MatchesPyTorch() async throws {
        let reference = try Self.reference()
        let embeddings = try await Self.embedder().embed(reference.sentences)
        let cosines = try Self.cosines(embeddings, reference.embeddings)
        let worst = cosines.enumerated().min { $0.element < $1.element }!
        #expect(cosines.count == reference.sentences.count)
        #expect(worst.element >= 0.9999, "worst cosine \(worst.element) for sentence \(worst.offset): \(reference.sentences[worst.offset].prefix(80))")
        for vector in embeddings { #expect(abs(VectorMath.norm(vector) - 1) <= 1e-5, "unit norm, tolerance 1e-5") }
    }

    /// int8 (ONNX Runtime's default dynamic quantization): each ≥ 0.90, mean ≥ 0.95.
    @Test func int8IsCloseToPyTorch() async throws {
        let reference = try Self.reference()
        let embedder = try await Self.embedder(onnxFile: "onnx/model_quantized.onnx")
        let quantization = try #require(embedder.info.runtime?.quantization)
        #expect(quantization.evidence.contains("file name model_quantized.onnx"))
        #expect(quantization.evidence.contains { $0.hasPrefix("operators") && $0.contains("DynamicQuantizeLinear") })
        let embeddings = try await embedder.embed(reference.sentences)
        let cosines = try Self.cosines(embeddings, reference.embeddings)
        let mean = cosines.reduce(0, +) / Float(cosines.count)
        let worst = cosines.enumerated().min { $0.element < $1.element }!
        #expect(worst.element >= 0.90, "worst int8 cosine \(worst.element) for sentence \(worst.offset)")
        #expect(mean >= 0.95, "mean int8 cosine \(mean)")
    }

    /// One batch of everything vs one text at a time: ≤ 1e-5 apart, element-wise.
    @Test func batchEqualsOneByOne() async throws {
        let sentences = Array(try Self.reference().sentences.prefix(48))
        let embedder = try await Self.embedder(maxBatchSize: 64)
        let batched = try await embedder.embed(sentences)
        var single: [[Float]] = []
        for sentence in sentences { single.append(try await embedder.embed([sentence])[0]) }
        #expect(Self.maxDifference(batched, single) <= 1e-5)
    }

    /// Shuffled input: each output follows its own text.
    @Test func shuffledInputKeepsVectorsWithTheirTexts() async throws {
        let sentences = Array(try Self.reference().sentences.prefix(80))
        let embedder = try await Self.embedder(maxBatchSize: 16)
        let original = try await embedder.embed(sentences)
        var generator = SeededGenerator(seed: 42)
        let permutation = Array(sentences.indices).shuffled(using: &generator)
        #expect(permutation != Array(sentences.indices))
        let shuffled = try await embedder.embed(permutation.map { sentences[$0] })
        #expect(Self.maxDifference(shuffled, permutation.map { original[$0] }) <= 1e-5)
    }
}

/// A small deterministic generator (SplitMix64) so that the shuffle is the same every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
