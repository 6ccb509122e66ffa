import EmbedCore
import EmbedORT

/// Runs a transformer exported to ONNX on its text tower and pools its output.
struct ONNXBackend: EmbeddingBackend {
    let session: ORTSession
    let signature: ModelSignature
    /// `nil` when the model's output is already pooled.
    let pooling: Pooling?
    let engineName: String

    var towers: Set<Tower> { [.text] }

    func run(_ batch: ModelBatch) throws(EmbedError) -> BackendOutput {
        let shape = [batch.rows, batch.length]
        var feeds: [String: ORTTensor] = [:]
        do {
            for (input, type) in signature.inputs {
                guard let values = batch[input.rawValue]?.int64s, values.count == batch.rows * batch.length else {
                    throw EmbedError(.runtime, "the batch has no int64 \(input.rawValue) of \(batch.rows)×\(batch.length)")
                }
                feeds[input.rawValue] = try .integers(values, as: type, shape: shape)
            }
            guard let output = try session.run(feeds, outputs: [signature.output]).first else {
                throw EmbedError(.runtime, "the model returned no output")
            }
            let start = ContinuousClock.now
            let vectors = try PooledOutput.vectors(output, batch: batch, pooling: pooling)
            return BackendOutput(vectors: vectors, poolingSeconds: start.duration(to: .now).inSeconds)
        } catch let error as ORTError {
            throw EmbedError(.runtime, "running the model on a batch of \(batch.rows)×\(batch.length): \(error)", underlying: error)
        } catch let error as EmbedError {
            throw error
        } catch {
            throw EmbedError(.runtime, "running the model: \(error)")
        }
    }
}

extension PooledOutput {
    /// The vectors of an ONNX Runtime output (read in place), pooled by `pooling` (`nil`:
    /// already pooled).
    static func vectors(_ output: ORTValue, batch: ModelBatch, pooling: Pooling?) throws -> [[Float]] {
        let shape = output.shape
        return try output.withFloats { values in
            try vectors(values, shape: shape, name: output.name, batch: batch, pooling: pooling)
        }
    }
}

extension ORTTensor {
    /// Token ids or a mask as the integer type a graph declares (int32 or int64).
    static func integers(_ values: [Int64], as type: ORTElementType, shape: [Int]) throws(ORTError) -> ORTTensor {
        type == .int32 ? try .int32(values.map { Int32(truncatingIfNeeded: $0) }, shape: shape) : try .int64(values, shape: shape)
    }
}
