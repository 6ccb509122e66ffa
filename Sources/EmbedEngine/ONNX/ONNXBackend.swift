import EmbedCore
import EmbedORT

/// Runs a transformer exported to ONNX and pools its output.
struct ONNXBackend: EmbeddingBackend {
    let session: ORTSession
    let signature: ModelSignature
    /// `nil` when the model's output is already pooled.
    let pooling: Pooling?
    let engineName: String

    func embed(_ batch: TokenBatch) throws(EmbedError) -> [[Float]] {
        var poolingSeconds = 0.0
        return try embed(batch, poolingSeconds: &poolingSeconds)
    }

    func embed(_ batch: TokenBatch, poolingSeconds: inout Double) throws(EmbedError) -> [[Float]] {
        let shape = [batch.size, batch.length]
        var feeds: [String: ORTTensor] = [:]
        do {
            for (input, type) in signature.inputs {
                let values: [Int] = switch input {
                case .inputIds: batch.inputIds
                case .attentionMask: batch.attentionMask
                case .tokenTypeIds: batch.tokenTypeIds
                }
                feeds[input.rawValue] = type == .int32
                    ? try .int32(values.map { Int32(truncatingIfNeeded: $0) }, shape: shape)
                    : try .int64(values.map { Int64($0) }, shape: shape)
            }
            guard let output = try session.run(feeds, outputs: [signature.output]).first else {
                throw EmbedError(.runtime, "the model returned no output")
            }
            let start = ContinuousClock.now
            defer { poolingSeconds += start.duration(to: .now).inSeconds }
            return try read(output, batch: batch)
        } catch let error as ORTError {
            throw EmbedError(.runtime, "running the model on a batch of \(batch.size)×\(batch.length): \(error)", underlying: error)
        } catch let error as EmbedError {
            throw error
        } catch {
            throw EmbedError(.runtime, "running the model: \(error)")
        }
    }

    private func read(_ output: ORTValue, batch: TokenBatch) throws -> [[Float]] {
        let shape = output.shape
        guard let pooling else {
            guard shape.count == 2, shape[0] == batch.size, let dimension = shape.last, dimension > 0 else {
                throw EmbedError(.invalidModel, "output '\(output.name)' has shape \(shape), expected [\(batch.size), dim]")
            }
            let values = try output.floats()
            return (0..<batch.size).map { Array(values[($0 * dimension)..<(($0 + 1) * dimension)]) }
        }
        guard shape.count == 3, shape[0] == batch.size, shape[1] == batch.length, shape[2] > 0 else {
            throw EmbedError(
                .invalidModel, "output '\(output.name)' has shape \(shape), expected [\(batch.size), \(batch.length), dim]")
        }
        return try output.withFloats { hidden in
            try pooling.pool(
                hidden, batch: batch.size, sequence: batch.length, dimension: shape[2], attentionMask: batch.attentionMask,
                promptLengths: batch.promptLengths)
        }
    }
}
