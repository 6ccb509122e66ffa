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
                feeds[input.rawValue] = type == .int32
                    ? try .int32(values.map { Int32(truncatingIfNeeded: $0) }, shape: shape)
                    : try .int64(values, shape: shape)
            }
            guard let output = try session.run(feeds, outputs: [signature.output]).first else {
                throw EmbedError(.runtime, "the model returned no output")
            }
            let start = ContinuousClock.now
            let vectors = try read(output, batch: batch)
            return BackendOutput(vectors: vectors, poolingSeconds: start.duration(to: .now).inSeconds)
        } catch let error as ORTError {
            throw EmbedError(.runtime, "running the model on a batch of \(batch.rows)×\(batch.length): \(error)", underlying: error)
        } catch let error as EmbedError {
            throw error
        } catch {
            throw EmbedError(.runtime, "running the model: \(error)")
        }
    }

    private func read(_ output: ORTValue, batch: ModelBatch) throws -> [[Float]] {
        let shape = output.shape
        return try output.withFloats { values in
            try PooledOutput.vectors(values, shape: shape, name: output.name, batch: batch, pooling: pooling)
        }
    }
}
