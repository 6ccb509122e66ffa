import EmbedCore
import EmbedOpenVINO
import EmbedORT
import Synchronization

/// Runs a transformer exported to ONNX on OpenVINO's CPU plugin and pools its output, as
/// ``ONNXBackend`` does on ONNX Runtime. One compiled model; one infer request per batch in
/// flight, taken from a pool (a request runs one call at a time; several run in parallel).
final class OpenVINOBackend: EmbeddingBackend {
    let compiled: OVCompiledModel
    let signature: ModelSignature
    /// `nil` when the model's output is already pooled.
    let pooling: Pooling?
    let engineName: String
    private let idle = Mutex<[OVInferRequest]>([])

    var towers: Set<Tower> { [.text] }

    init(compiled: OVCompiledModel, signature: ModelSignature, pooling: Pooling?, engineName: String) {
        self.compiled = compiled
        self.signature = signature
        self.pooling = pooling
        self.engineName = engineName
    }

    func run(_ batch: ModelBatch) throws(EmbedError) -> BackendOutput {
        let shape = [batch.rows, batch.length]
        do {
            var feeds: [String: OVTensor] = [:]
            for (input, type) in signature.inputs {
                guard let values = batch[input.rawValue]?.int64s, values.count == batch.rows * batch.length else {
                    throw EmbedError(.runtime, "the batch has no int64 \(input.rawValue) of \(batch.rows)×\(batch.length)")
                }
                feeds[input.rawValue] = type == .int32
                    ? try .int32(values.map { Int32(truncatingIfNeeded: $0) }, shape: shape)
                    : try .int64(values, shape: shape)
            }
            let request = try takeRequest()
            defer { idle.withLock { $0.append(request) } }
            guard let output = try request.run(feeds, outputs: [signature.output]).first else {
                throw EmbedError(.runtime, "the model returned no output")
            }
            let start = ContinuousClock.now
            let vectors = try PooledOutput.vectors(
                output.values.span, shape: output.shape, name: output.name, batch: batch, pooling: pooling)
            return BackendOutput(vectors: vectors, poolingSeconds: start.duration(to: .now).inSeconds)
        } catch let error as OVError {
            throw EmbedError(
                .runtime, "running the model on OpenVINO, batch of \(batch.rows)×\(batch.length): \(error)", underlying: error)
        } catch let error as EmbedError {
            throw error
        } catch {
            throw EmbedError(.runtime, "running the model on OpenVINO: \(error)")
        }
    }

    /// An idle request, or a new one when all are busy (at most one per worker in flight).
    private func takeRequest() throws(OVError) -> OVInferRequest {
        if let request = idle.withLock({ $0.popLast() }) { return request }
        return try compiled.makeInferRequest()
    }
}
