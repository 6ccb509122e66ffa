import EmbedOpenVINO
import Foundation
import Testing

/// all-MiniLM-L6-v2 as the project's set-up exports it (`.cache/models/all-MiniLM-L6-v2`).
@Suite(.enabled(if: OVTestRuntime.isRealModelAvailable, "needs OpenVINO and the exported all-MiniLM-L6-v2 (make setup)"))
struct RealModelTests {
    let core: OVCore

    init() throws {
        core = try OVTestRuntime.core()
    }

    /// "hello world" and "hello" as the model's tokenizer writes them, padded to 4.
    static let ids: [Int64] = [101, 7592, 2088, 102, 101, 7592, 102, 0]
    static let mask: [Int64] = [1, 1, 1, 1, 1, 1, 1, 0]

    func embed(_ compiled: OVCompiledModel, ids: [Int64], mask: [Int64], shape: [Int]) throws -> [[Float]] {
        let hidden = try compiled.makeInferRequest().run(
            [
                "input_ids": .int64(ids, shape: shape), "attention_mask": .int64(mask, shape: shape),
                "token_type_ids": .int64([Int64](repeating: 0, count: ids.count), shape: shape),
            ], outputs: ["last_hidden_state"])[0]
        #expect(hidden.shape == shape + [384])
        let (batch, sequence) = (shape[0], shape[1])
        return (0..<batch).map { row in
            var sum = [Float](repeating: 0, count: 384)
            var count: Float = 0
            for position in 0..<sequence where mask[row * sequence + position] == 1 {
                count += 1
                for j in 0..<384 { sum[j] += hidden.values[(row * sequence + position) * 384 + j] }
            }
            return sum.map { $0 / count }
        }
    }

    func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        let norms = (a.reduce(0) { $0 + $1 * $1 } * b.reduce(0) { $0 + $1 * $1 }).squareRoot()
        return dot / norms
    }

    @Test func declaresTheBertInputsAndRunsDynamicShapes() throws {
        let compiled = try core.compileModel(path: OVTestRuntime.realModel, options: .init(precision: .f32, threads: 2))
        #expect(compiled.inputs.map(\.name).sorted() == ["attention_mask", "input_ids", "token_type_ids"])
        #expect(compiled.inputs.allSatisfy { $0.elementType == .i64 && $0.shape.description == "[?, ?]" })
        #expect(compiled.outputs.first { $0.name == "last_hidden_state" }?.shape.description == "[?, ?, 384]")
        let pair = try embed(compiled, ids: Self.ids, mask: Self.mask, shape: [2, 4])
        // Padding must not change a sentence: "hello" alone equals "hello" padded in a batch.
        let alone = try embed(compiled, ids: [101, 7592, 102], mask: [1, 1, 1], shape: [1, 3])
        #expect(cosine(pair[1], alone[0]) > 0.99999, "padded vs alone, cosine > 0.99999")
        #expect(pair.allSatisfy { $0.allSatisfy(\.isFinite) })
        #expect(cosine(pair[0], pair[1]) < 0.99, "different sentences must differ")
    }

    @Test func bf16AgreesWithF32() throws {
        let f32 = try core.compileModel(path: OVTestRuntime.realModel, options: .init(precision: .f32, threads: 2))
        let bf16 = try core.compileModel(path: OVTestRuntime.realModel, options: .init(precision: .bf16, threads: 2))
        #expect(bf16.settings.inferencePrecision == (try core.supportsNativeBF16() ? .bf16 : .f32))
        let a = try embed(f32, ids: Self.ids, mask: Self.mask, shape: [2, 4])
        let b = try embed(bf16, ids: Self.ids, mask: Self.mask, shape: [2, 4])
        for (x, y) in zip(a, b) {
            #expect(cosine(x, y) >= 0.9999, "bf16 vs f32 mean-pooled cosine >= 0.9999")
        }
    }
}
