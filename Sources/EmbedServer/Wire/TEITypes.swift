import EmbedCore
import EmbedEngine
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
    /// Every model served, the default (the one the fields above describe) first.
    var models: [ServedModelInfo]

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
        case quantized, version, models
    }
}

/// One model in `GET /info`'s `models`.
struct ServedModelInfo: Encodable, Sendable {
    var modelID: String
    /// Whether TEI's routes and requests without `model` use it.
    var isDefault: Bool
    var modelPath: String
    var dimension: Int
    var maxInputLength: Int
    /// What it embeds: `text`, and `image` for a model with a vision tower (CLIP).
    var modalities: [String]
    var pooling: String?
    var normalize: Bool
    var engine: String
    var maxBatchTokens: Int
    var maxConcurrentRequests: Int

    init(_ embedder: Embedder, name: String, isDefault: Bool) {
        let info = embedder.info
        modelID = name
        self.isDefault = isDefault
        modelPath = ServerInfo.shownPath(info.path)
        dimension = info.dimension
        maxInputLength = info.maxLength.value
        let towers = info.towers.map(\.tower)
        // The hashing engine has no tower files and embeds text.
        modalities = (towers.isEmpty || towers.contains(.text) ? ["text"] : []) + (towers.contains(.vision) ? ["image"] : [])
        pooling = info.pooling?.description
        normalize = info.normalize
        engine = info.engine
        maxBatchTokens = embedder.configuration.batching.maxBatchTokens
        maxConcurrentRequests = embedder.configuration.batching.maxConcurrentRequests
    }

    enum CodingKeys: String, CodingKey {
        case modelID = "model_id"
        case isDefault = "default"
        case modelPath = "model_path"
        case dimension
        case maxInputLength = "max_input_length"
        case modalities, pooling, normalize, engine
        case maxBatchTokens = "max_batch_tokens"
        case maxConcurrentRequests = "max_concurrent_requests"
    }
}

/// `GET /health`.
struct HealthBody: Encodable, Sendable {
    var status: String
    var dimension: Int?
    var norm: Float?
    var reason: String?
}
