import Foundation

/// One token in a `POST /tokenize` answer, as Text Embeddings Inference sends it. `start`
/// and `stop` are offsets in Unicode scalars of the input (`null` for special tokens).
struct TEIToken: Encodable, Sendable {
    var id: Int
    var text: String
    var special: Bool
    var start: Int?
    var stop: Int?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(text, forKey: .text)
        try container.encode(special, forKey: .special)
        try container.encode(start, forKey: .start)
        try container.encode(stop, forKey: .stop)
    }

    enum CodingKeys: String, CodingKey { case id, text, special, start, stop }
}

/// `GET /info`: what Text Embeddings Inference reports, plus the engine's own details.
struct ServerInfo: Encodable, Sendable {
    var modelID: String
    var modelPath: String
    var modelType: [String: [String: String]]
    var dimension: Int
    var pooling: String?
    var normalize: Bool
    var maxInputLength: Int
    var maxBatchTokens: Int
    var maxBatchRequests: Int
    var maxClientBatchSize: Int
    var maxConcurrentRequests: Int
    var autoTruncate: Bool
    var payloadLimit: Int
    var engine: String
    var provider: String?
    var ortVersion: String?
    /// `onnxruntime` or `openvino`, with its version and (OpenVINO) the precision it computes in.
    var runtime: String?
    var runtimeVersion: String?
    var precision: String?
    var quantized: Bool
    var version: String

    /// The model's folder or file name, never the absolute path: `/info` answers anyone
    /// who can reach the server, and the path says where the files and the user's home are.
    static func shownPath(_ path: String) -> String {
        path.hasPrefix("/") ? URL(fileURLWithPath: path).lastPathComponent : path
    }

    enum CodingKeys: String, CodingKey {
        case modelID = "model_id"
        case modelPath = "model_path"
        case modelType = "model_type"
        case dimension, pooling, normalize
        case maxInputLength = "max_input_length"
        case maxBatchTokens = "max_batch_tokens"
        case maxBatchRequests = "max_batch_requests"
        case maxClientBatchSize = "max_client_batch_size"
        case maxConcurrentRequests = "max_concurrent_requests"
        case autoTruncate = "auto_truncate"
        case payloadLimit = "payload_limit"
        case engine, provider
        case ortVersion = "ort_version"
        case runtime
        case runtimeVersion = "runtime_version"
        case precision
        case quantized, version
    }
}

/// `GET /health`.
struct HealthBody: Encodable, Sendable {
    var status: String
    var dimension: Int?
    var norm: Float?
    var reason: String?
}
