import EmbedCore
import EmbedEngine
import Foundation

/// What makes two runs' vectors the same: the model as given, the engine (runtime, version,
/// execution provider), the ONNX file (the variant) and its size, and every option that
/// changes a vector. Two shards merge only when their fingerprints are equal.
struct ModelFingerprint: Codable, Sendable, Equatable {
    /// `--model` as given (a folder, a file or a hub id); empty for the hashing engine
    /// without one.
    var model: String
    /// e.g. `onnxruntime 1.31.1 (CPUExecutionProvider)` or `hashing (384 dimensions)`.
    var engine: String
    /// The ONNX file, relative to the model folder (`onnx/model.onnx`); none for hashing.
    var onnxFile: String?
    var onnxFileSize: Int64?
    /// The precision the runtime computes in, when it reports one (OpenVINO).
    var precision: String?
    var dimension: Int
    var pooling: String
    var normalize: Bool
    /// The prompt put before every text (empty: none).
    var prompt: String
    var maxLength: Int
    /// `text` (one text per line) or `jsonl` (a `"text"` field per line).
    var inputFormat: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, engine, onnxFile = "onnx_file", onnxFileSize = "onnx_file_size", precision, dimension, pooling
        case normalize, prompt, maxLength = "max_length", inputFormat = "input_format"
    }

    init(
        model: String, engine: String, onnxFile: String?, onnxFileSize: Int64?, precision: String?, dimension: Int,
        pooling: String, normalize: Bool, prompt: String, maxLength: Int, inputFormat: String
    ) {
        self.model = model
        self.engine = engine
        self.onnxFile = onnxFile
        self.onnxFileSize = onnxFileSize
        self.precision = precision
        self.dimension = dimension
        self.pooling = pooling
        self.normalize = normalize
        self.prompt = prompt
        self.maxLength = maxLength
        self.inputFormat = inputFormat
    }

    /// The fingerprint of `embedder` as `embed encode` uses it (default options).
    init(embedder: Embedder, model: String?, jsonl: Bool) throws {
        let info = embedder.info
        var onnxFile = info.runtime?.onnxPath
        if let path = onnxFile, !info.path.isEmpty, path.hasPrefix(info.path + "/") {
            onnxFile = String(path.dropFirst(info.path.count + 1))
        }
        self.init(
            model: model ?? "", engine: info.engine, onnxFile: onnxFile, onnxFileSize: info.runtime?.onnxFileSize,
            precision: info.runtime?.inferencePrecision, dimension: info.dimension,
            pooling: info.pooling?.description ?? "none", normalize: info.normalize,
            prompt: try embedder.prompt(for: .automatic) ?? "", maxLength: info.maxLength.value,
            inputFormat: jsonl ? "jsonl" : "text")
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        engine = try c.decode(String.self, forKey: .engine)
        onnxFile = try c.decodeIfPresent(String.self, forKey: .onnxFile)
        onnxFileSize = try c.decodeIfPresent(Int64.self, forKey: .onnxFileSize)
        precision = try c.decodeIfPresent(String.self, forKey: .precision)
        dimension = try c.decode(Int.self, forKey: .dimension)
        pooling = try c.decode(String.self, forKey: .pooling)
        normalize = try c.decode(Bool.self, forKey: .normalize)
        prompt = try c.decode(String.self, forKey: .prompt)
        maxLength = try c.decode(Int.self, forKey: .maxLength)
        inputFormat = try c.decode(String.self, forKey: .inputFormat)
    }
}

// Strict decoding of the manifest's smaller objects (the memberwise initialisers stay).
extension ShardManifest.Shard {
    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            index: try c.decode(Int.self, forKey: .index), count: try c.decode(Int.self, forKey: .count),
            firstLine: try c.decode(Int.self, forKey: .firstLine), lastLine: try c.decode(Int.self, forKey: .lastLine))
    }
}

extension ShardManifest.Output {
    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(format: try c.decode(String.self, forKey: .format), partSize: try c.decode(Int.self, forKey: .partSize))
    }
}

extension ShardManifest.Part {
    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            number: try c.decode(Int.self, forKey: .number), file: try c.decode(String.self, forKey: .file),
            firstLine: try c.decode(Int.self, forKey: .firstLine), lastLine: try c.decode(Int.self, forKey: .lastLine),
            count: try c.decode(Int.self, forKey: .count), sha256: try c.decode(String.self, forKey: .sha256),
            idsFile: try c.decodeIfPresent(String.self, forKey: .idsFile),
            idsSHA256: try c.decodeIfPresent(String.self, forKey: .idsSHA256))
    }
}
