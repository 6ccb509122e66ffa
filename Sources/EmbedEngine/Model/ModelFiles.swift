import EmbedCore
import EmbedHub
import EmbedTokenizers
import Foundation

/// The files of a model, found and parsed.
struct ModelFiles {
    var name: String
    var root: URL?
    var onnxURL: URL
    var tokenizerURL: URL
    /// Parsed in the background: ``TokenizerLoad/value()`` waits for it.
    var tokenizer: TokenizerLoad
    var transformer: TransformerConfiguration?
    var tokenizerConfiguration: TokenizerConfiguration?
    var sentenceBert: SentenceBertConfiguration?
    var modules: [SentenceTransformersModule]?
    var pooling: PoolingConfiguration?
    var sentenceTransformers: SentenceTransformersConfiguration?

    /// Finds and parses the files of `source`. In a folder the ONNX file is `onnxFile` when
    /// given, else the first of `variant`'s candidates that exists.
    static func load(_ source: ModelSource, onnxFile: String?, variant: ONNXVariant) throws(EmbedError) -> ModelFiles {
        switch source {
        case .onnxFile(let onnxURL, let tokenizerURL):
            try requireFile(onnxURL, what: "ONNX model")
            return ModelFiles(
                name: onnxURL.deletingPathExtension().lastPathComponent, root: nil, onnxURL: onnxURL,
                tokenizerURL: tokenizerURL, tokenizer: TokenizerLoad(tokenizerURL))
        case .folder(let root):
            return try loadFolder(root, onnxFile: onnxFile, variant: variant)
        case .hub(let id, _):
            throw EmbedError(.invalidConfiguration, "\(id) must be resolved through the model store before it is loaded")
        }
    }

    private init(name: String, root: URL?, onnxURL: URL, tokenizerURL: URL, tokenizer: TokenizerLoad) {
        self.name = name
        self.root = root
        self.onnxURL = onnxURL
        self.tokenizerURL = tokenizerURL
        self.tokenizer = tokenizer
    }

    /// The ONNX file `source` runs, found as ``load(_:onnxFile:variant:)`` finds it, without
    /// reading the tokenizer or the configuration files.
    static func onnxURL(_ source: ModelSource, onnxFile: String?, variant: ONNXVariant) throws(EmbedError) -> URL {
        switch source {
        case .onnxFile(let onnxURL, _):
            try requireFile(onnxURL, what: "ONNX model")
            return onnxURL
        case .folder(let root):
            if let onnxFile {
                let onnxURL = root.appendingPathComponent(onnxFile)
                try requireFile(onnxURL, what: "ONNX model")
                return onnxURL
            }
            guard let found = variant.candidates.map({ root.appendingPathComponent($0) })
                .first(where: { FileKind(of: $0) == .file })
            else { throw noONNXModel(in: root, variant: variant) }
            return found
        case .hub(let id, _):
            throw EmbedError(.invalidConfiguration, "\(id) must be resolved through the model store before it is loaded")
        }
    }

    private static func loadFolder(_ root: URL, onnxFile: String?, variant: ONNXVariant) throws(EmbedError) -> ModelFiles {
        let onnxURL = try onnxURL(.folder(root), onnxFile: onnxFile, variant: variant)
        let tokenizerURL = root.appendingPathComponent("tokenizer.json")
        try requireFile(tokenizerURL, what: "tokenizer")
        var files = ModelFiles(
            name: root.lastPathComponent, root: root, onnxURL: onnxURL, tokenizerURL: tokenizerURL,
            tokenizer: TokenizerLoad(tokenizerURL))
        files.transformer = try readJSON(root, "config.json")
        files.tokenizerConfiguration = try readJSON(root, "tokenizer_config.json")
        files.sentenceBert = try readJSON(root, "sentence_bert_config.json")
        files.modules = try readJSON(root, "modules.json")
        let poolingFolder = files.modules?.first { $0.kind == .pooling }?.path ?? "1_Pooling"
        files.pooling = try readJSON(root, poolingFolder + "/config.json")
        files.sentenceTransformers = try readJSON(root, "config_sentence_transformers.json")
        return files
    }

    private static func noONNXModel(in root: URL, variant: ONNXVariant) -> EmbedError {
        let present = ["", "onnx/"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? [])
                .filter { $0.hasSuffix(".onnx") }.map { folder + $0 }
        }.sorted()
        let unusable = variant.candidates.compactMap { candidate -> String? in
            let url = root.appendingPathComponent(candidate)
            guard let problem = FileKind.problem(with: url, wanted: .file), !problem.isAbsence else { return nil }
            return "\(candidate) \(problem)"
        }
        if !unusable.isEmpty {
            return EmbedError(.modelNotFound, "no usable \(variant) ONNX model in \(root.path): \(unusable.joined(separator: "; "))")
        }
        let guess = (FileKind(of: root) == nil) ? "" : present.isEmpty
            ? ". A PyTorch checkpoint must be exported to ONNX first (scripts/prepare_model.py shows how)"
            : "; the folder has \(present.joined(separator: ", ")): choose one with the onnx.model_path setting (--onnx-file)"
        return EmbedError(
            .modelNotFound,
            "no \(variant) ONNX model in \(root.path): looked for \(variant.candidates.joined(separator: ", "))" + guess)
    }

    /// A model folder that is not there (or not a folder) is said as such, before any of
    /// its files is looked for.
    static func requireFolder(_ root: URL) throws(EmbedError) {
        if let problem = FileKind.problem(with: root, wanted: .directory) {
            throw EmbedError(.modelNotFound, "model folder \(root.path) \(problem)")
        }
    }

    private static func requireFile(_ url: URL, what: String) throws(EmbedError) {
        if let problem = FileKind.problem(with: url, wanted: .file) {
            throw EmbedError(.modelNotFound, "\(what) \(url.path) \(problem)")
        }
    }

    /// Reads and decodes an optional JSON file of the model folder.
    static func readJSON<T: Decodable>(_ root: URL, _ relativePath: String) throws(EmbedError) -> T? {
        let url = root.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
        } catch let error as EmbedCoreError {
            throw EmbedError(.invalidModel, "\(relativePath): \(error.message)", underlying: error)
        } catch let error as DecodingError {
            throw EmbedError(.invalidModel, "\(relativePath) is not valid: \(error.readableDescription)", underlying: error)
        } catch {
            throw EmbedError(.modelNotFound, "cannot read \(url.path): \(error.localizedDescription)")
        }
    }
}
