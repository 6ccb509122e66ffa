import EmbedCore
import EmbedOpenVINO
import EmbedORT
import Synchronization

/// One input of a CLIP graph, before it becomes a tensor of the runtime that runs the graph.
enum CLIPFeed {
    /// Token ids or a mask, fed as `type` (int64 or int32).
    case integers([Int64], ORTElementType, shape: [Int])
    /// Pixel values.
    case floats([Float], shape: [Int])

    func ort() throws(ORTError) -> ORTTensor {
        switch self {
        case .integers(let values, let type, let shape): try .integers(values, as: type, shape: shape)
        case .floats(let values, let shape): try .float(values, shape: shape)
        }
    }

    func openVINO() throws(OVError) -> OVTensor {
        switch self {
        case .integers(let values, let type, let shape):
            type == .int32 ? try .int32(values.map { Int32(truncatingIfNeeded: $0) }, shape: shape) : try .int64(values, shape: shape)
        case .floats(let values, let shape): try .float(values, shape: shape)
        }
    }
}

/// A CLIP file compiled by OpenVINO and its idle infer requests: one request per batch in
/// flight (a request runs one call at a time; several run in parallel), as in
/// ``OpenVINOBackend``.
final class OpenVINORequests: Sendable {
    let compiled: OVCompiledModel
    /// The graph's names of the inputs and outputs → the names the compiled ports report
    /// (they can differ: see ``ModelLoader/compileOnOpenVINO(_:configuration:logger:readingNames:)``).
    private let portNames: [String: String]
    private let idle = Mutex<[OVInferRequest]>([])

    init(compiled: OVCompiledModel, portNames: [String: String] = [:]) {
        self.compiled = compiled
        self.portNames = portNames
    }

    /// Runs `feeds` and returns the rows of `output` (already pooled by the graph).
    func run(_ feeds: [String: CLIPFeed], output: String, batch: ModelBatch, file: String) throws -> BackendOutput {
        var tensors: [String: OVTensor] = [:]
        for (name, feed) in feeds { tensors[portNames[name] ?? name] = try feed.openVINO() }
        let request = try takeRequest()
        defer { idle.withLock { $0.append(request) } }
        guard let value = try request.run(tensors, outputs: [portNames[output] ?? output]).first else {
            throw EmbedError(.runtime, "\(file) returned no output on OpenVINO")
        }
        let start = ContinuousClock.now
        let vectors = try PooledOutput.vectors(value.values.span, shape: value.shape, name: output, batch: batch, pooling: nil)
        return BackendOutput(vectors: vectors, poolingSeconds: start.duration(to: .now).inSeconds)
    }

    private func takeRequest() throws(OVError) -> OVInferRequest {
        if let request = idle.withLock({ $0.popLast() }) { return request }
        return try compiled.makeInferRequest()
    }
}
