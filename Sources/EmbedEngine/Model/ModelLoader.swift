import EmbedCore
import EmbedHub
import EmbedORT
import EmbedTokenizers
import Foundation
import Logging

/// Reads a model's files, opens it on the configured runtime (ONNX Runtime on the first
/// execution provider that works, or OpenVINO) and checks that everything fits: inputs, output, pooling, dimensions, maximum
/// length, and (unless turned off) one embedding. Every mismatch is an error that says what
/// was expected and what the files have; every default and every fallback is logged.
enum ModelLoader {
    /// Loads `source`. `knownAs` is the name the model was asked for (a hub id), used to
    /// find it in the registry of known models.
    static func load(
        _ source: ModelSource, configuration: EmbedderConfiguration, knownAs: String? = nil, logger: Logger
    ) throws(EmbedError) -> EmbeddingModel {
        if case .folder(let root) = source { try ModelFiles.requireFolder(root) }
        if case .folder(let root) = source, try CLIPFiles.family(of: root) != nil {
            return try loadCLIP(root, configuration: configuration, logger: logger)
        }
        let files = try ModelFiles.load(source, onnxFile: configuration.onnxFile, variant: configuration.variant)
        let known = configuration.useRegistry ? knownModel(source, knownAs: knownAs) : nil
        do {
            return try load(files, source: source, known: known, configuration: configuration, logger: logger)
        } catch {
            // A quantized model that fails is replaced by the folder's fp32 model, if allowed.
            guard configuration.fallback.contains(.fp32), error.code != .invalidConfiguration,
                let root = files.root, quantization(of: files.onnxURL, root: root).isQuantized,
                let fp32 = ONNXVariant.fp32.candidates.first(where: { candidate in
                    let url = root.appendingPathComponent(candidate)
                    return url.standardizedFileURL != files.onnxURL.standardizedFileURL && FileKind(of: url) == .file
                        && !quantization(of: url, root: nil).isQuantized
                })
            else { throw error }
            let reason = "quantized model \(files.onnxURL.lastPathComponent) failed (\(error.message)); using \(fp32)"
            logger.warning("falling back to fp32: \(reason)")
            var fp32Configuration = configuration
            fp32Configuration.onnxFile = fp32
            var loaded = try load(
                ModelFiles.load(source, onnxFile: fp32, variant: .fp32), source: source, known: known,
                configuration: fp32Configuration, logger: logger)
            loaded.info.fallbacks.insert("fp32: \(reason)", at: 0)
            return loaded
        }
    }

    private static func load(
        _ files: ModelFiles, source: ModelSource, known: KnownModel?, configuration: EmbedderConfiguration, logger: Logger
    ) throws(EmbedError) -> EmbeddingModel {
        let quantization = quantization(of: files.onnxURL, root: files.root)
        let opened = try openRuntime(files, quantization: quantization, configuration: configuration, logger: logger)
        let signature = try ModelSignature(inputs: opened.inputs, outputs: opened.outputs)

        var resolver = Resolver(files: files, known: known, configuration: configuration, logger: logger)
        let pooling = try resolver.pooling(signature: signature)
        let outputModules = try resolver.outputModules(signature: signature)
        let dimension = try resolver.dimension(signature: signature, pooling: pooling, outputModules: outputModules)
        let maxLength = try resolver.maxLength()
        let prompts = try resolver.prompts()
        let tower = TextTower(tokenizer: ModelTokenizer(try files.tokenizer.value()), outputModules: outputModules)

        let engine = opened.engineName
        let backend = opened.backend(signature: signature, pooling: pooling)
        let checked = try check(backend, tower: tower, expected: dimension, enabled: configuration.checkOnLoad)
        var runtime = opened.details(
            files: files, signature: signature, quantization: quantization, threads: configuration.session.intraOpThreads)
        if case .onnx(let onnx, _) = opened.handle, let evidence = Self.metadataEvidence(onnx.session.metadata) {
            // What the session's metadata adds, without reading the graph a second time.
            let operators = runtime.quantization.evidence.firstIndex { $0.hasPrefix("operators ") }
            runtime.quantization.evidence.insert(evidence, at: operators ?? runtime.quantization.evidence.endIndex)
        }
        var info = ModelInfo(
            name: files.name, path: source.description, dimension: checked, maxLength: maxLength, pooling: pooling,
            normalize: outputModules.normalizes, normalizeSource: resolver.normalizeSource, engine: engine, runtime: runtime,
            fallbacks: opened.fallbacks)
        info.prompts = prompts
        info.outputModules = outputModules.descriptions
        info.knownModel = known?.id
        info.filledFromRegistry = resolver.filledFromRegistry
        info.towers = [
            TowerFile(
                tower: .text, path: files.onnxURL.path, inputs: signature.inputs.map(\.input.rawValue), output: signature.output,
                quantized: runtime.quantization.isQuantized)
        ]
        return EmbeddingModel(info: info, backend: backend, text: tower)
    }

    /// Embeds one short text: learns the output size when the files do not fix it, checks
    /// it when they do, and checks that the values are finite.
    private static func check(
        _ backend: any EmbeddingBackend, tower: TextTower, expected: Int?, enabled: Bool
    ) throws(EmbedError) -> Int {
        if let expected, !enabled { return expected }
        let encoding = tower.tokenizer.encode("swift-embed checks that the model runs.", truncation: nil)
        let input = PreparedInput(tower: .text, encoding: encoding, tokenCount: encoding.count, normalize: false)
        guard let pooled = try backend.run(tower.collate([input])).vectors.first, !pooled.isEmpty else {
            throw EmbedError(.invalidModel, "the model returned an empty vector")
        }
        let vector = try tower.outputModules.apply(pooled)
        guard !vector.isEmpty else {
            throw EmbedError(.invalidModel, "the model returned an empty vector")
        }
        if let expected, vector.count != expected {
            throw EmbedError(.invalidModel, "the model returned \(vector.count) values per text, expected \(expected)")
        }
        guard vector.allSatisfy(\.isFinite) else {
            throw EmbedError(.invalidModel, "the model produced non-finite values on a test sentence")
        }
        return vector.count
    }

    /// What points to `url` being a quantized model.
    static func quantization(of url: URL, root: URL?, metadata: ORTModelMetadata? = nil) -> QuantizationInfo {
        var evidence: [String] = []
        let name = url.lastPathComponent.lowercased()
        if ["quant", "int8", "uint8", "qint", "quint"].contains(where: { name.contains($0) }) {
            evidence.append("file name \(url.lastPathComponent)")
        }
        if let root, FileKind(of: root.appendingPathComponent("quantization_config.json")) == .file {
            evidence.append("quantization_config.json")
        }
        if let metadata, let found = metadataEvidence(metadata) { evidence.append(found) }
        if let scan = try? ONNXGraphScan(contentsOf: url), !scan.quantizedOperators.isEmpty {
            evidence.append("operators \(scan.quantizedOperators.joined(separator: ", "))")
        }
        return QuantizationInfo(evidence: evidence)
    }

    /// The metadata keys that point to quantization, as evidence; `nil` when none does.
    static func metadataEvidence(_ metadata: ORTModelMetadata) -> String? {
        let keys = metadata.custom.keys.filter { $0.lowercased().contains("quant") }.sorted()
        return keys.isEmpty ? nil : "metadata \(keys.joined(separator: ", "))"
    }

    /// Wraps a runtime error, naming the file.
    static func wrap(_ error: ORTError, file: String) -> EmbedError {
        switch error.code {
        case .libraryNotFound, .incompatibleLibrary:
            return EmbedError(.runtime, error.message, underlying: error)
        case .runtime(.noSuchFile):
            return EmbedError(.modelNotFound, "ONNX model not found: \(file)", underlying: error)
        case .runtime(.invalidProtobuf), .runtime(.invalidGraph):
            return EmbedError(.invalidModel, "\(file) is not a valid ONNX model: \(error.message)", underlying: error)
        default:
            return EmbedError(.runtime, "cannot load \(file): \(error)", underlying: error)
        }
    }
}
