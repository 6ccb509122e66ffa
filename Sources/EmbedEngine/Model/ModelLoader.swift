import EmbedCore
import EmbedHub
import EmbedORT
import EmbedTokenizers
import Foundation
import Logging

/// A model, validated and ready to run.
struct LoadedModel: Sendable {
    var info: ModelInfo
    var tokenizer: Tokenizer
    var backend: ONNXBackend
    var padId: Int
}

/// Reads a model's files, opens it in ONNX Runtime on the first execution provider that
/// works and checks that everything fits: inputs, output, pooling, dimensions, maximum
/// length, and (unless turned off) one embedding. Every mismatch is an error that says what
/// was expected and what the files have; every default and every fallback is logged.
enum ModelLoader {
    static func load(
        _ source: ModelSource, configuration: EmbedderConfiguration, logger: Logger
    ) throws(EmbedError) -> LoadedModel {
        try validate(configuration)
        let files = try ModelFiles.load(source, onnxFile: configuration.onnxFile, variant: configuration.variant)
        do {
            return try load(files, source: source, configuration: configuration, logger: logger)
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
                ModelFiles.load(source, onnxFile: fp32, variant: .fp32), source: source, configuration: fp32Configuration, logger: logger)
            loaded.info.fallbacks.insert("fp32: \(reason)", at: 0)
            return loaded
        }
    }

    private static func load(
        _ files: ModelFiles, source: ModelSource, configuration: EmbedderConfiguration, logger: Logger
    ) throws(EmbedError) -> LoadedModel {
        try checkModules(files)
        let library: ORTLibrary
        let environment: ORTEnvironment
        do throws(ORTError) {
            library = try ORTLibrary.load(configuration.library)
            environment = try ORTEnvironment.shared(library: library, logger: logger)
        } catch {
            throw wrap(error, file: files.onnxURL.path)
        }
        let opened = try ProviderChain.openSession(
            files.onnxURL, configuration: configuration, environment: environment, logger: logger)
        let session = opened.session
        let signature = try ModelSignature(inputs: session.inputs, outputs: session.outputs)

        let pooling = try resolvePooling(files, signature: signature, configuration: configuration, logger: logger)
        let dimension = try resolveDimension(files, signature: signature, pooling: pooling)
        let maxLength = try resolveMaxLength(files, configuration: configuration, logger: logger)
        let (normalize, normalizeSource) = resolveNormalization(files, configuration: configuration)
        let tokenizer = try files.tokenizer.value()
        let padId = tokenizer.configuredPadding?.padId
            ?? tokenizer.id(forToken: "[PAD]") ?? tokenizer.id(forToken: "<pad>") ?? 0

        let engine = "onnxruntime \(library.version) (\(opened.provider.name))"
        let backend = ONNXBackend(session: session, signature: signature, pooling: pooling, engineName: engine)
        let checked = try check(backend, tokenizer: tokenizer, padId: padId, expected: dimension, enabled: configuration.checkOnLoad)
        let size = (try? FileManager.default.attributesOfItem(atPath: files.onnxURL.path)[.size] as? NSNumber)?.int64Value
        let runtime = RuntimeDetails(
            onnxPath: files.onnxURL.path, onnxFileSize: size ?? 0, tokenizerPath: files.tokenizerURL.path,
            inputs: session.inputs, outputs: session.outputs, outputName: signature.output, metadata: session.metadata,
            quantization: quantization(of: files.onnxURL, root: files.root, metadata: session.metadata),
            runtimeVersion: library.version, runtimePath: library.path, executionProvider: opened.provider.name,
            availableProviders: opened.available, intraOpThreads: configuration.session.intraOpThreads)
        let info = ModelInfo(
            name: files.name, path: source.description, dimension: checked, maxLength: maxLength, pooling: pooling,
            normalize: normalize, normalizeSource: normalizeSource, engine: engine, runtime: runtime,
            fallbacks: opened.fallbacks)
        return LoadedModel(info: info, tokenizer: tokenizer, backend: backend, padId: padId)
    }

    private static func validate(_ configuration: EmbedderConfiguration) throws(EmbedError) {
        guard configuration.maxBatchSize >= 1 else {
            throw EmbedError(.invalidConfiguration, "maximum batch size must be at least 1, got \(configuration.maxBatchSize)")
        }
        guard (1...64).contains(configuration.workers) else {
            throw EmbedError(.invalidConfiguration, "workers must be between 1 and 64, got \(configuration.workers)")
        }
        if let maxLength = configuration.maxLength, maxLength < 1 {
            throw EmbedError(.invalidConfiguration, "maximum length must be at least 1, got \(maxLength)")
        }
    }

    /// Only modules this engine reproduces exactly are accepted.
    private static func checkModules(_ files: ModelFiles) throws(EmbedError) {
        for module in files.modules ?? [] {
            switch module.kind {
            case .transformer, .pooling, .normalize:
                continue
            case .dense:
                throw EmbedError(
                    .invalidModel, "modules.json has a Dense module (\(module.path)), which is not supported yet")
            case .other(let type):
                throw EmbedError(.invalidModel, "modules.json has module \(type) (\(module.path)), which is not supported")
            }
        }
        if files.sentenceBert?.doLowerCase == true {
            throw EmbedError(
                .invalidModel, "sentence_bert_config.json sets do_lower_case: true, which is not supported yet")
        }
    }

    private static func resolvePooling(
        _ files: ModelFiles, signature: ModelSignature, configuration: EmbedderConfiguration, logger: Logger
    ) throws(EmbedError) -> Pooling? {
        if signature.outputIsPooled {
            if let pooling = configuration.pooling {
                throw EmbedError(
                    .invalidConfiguration,
                    "the model's output '\(signature.output)' is already pooled; pooling \(pooling) cannot be applied")
            }
            return nil
        }
        if let pooling = configuration.pooling { return pooling }
        if let pooling = files.pooling?.pooling { return pooling }
        logger.notice("no 1_Pooling/config.json for \(files.name): using mean pooling, as sentence-transformers does")
        return .mean
    }

    private static func resolveDimension(
        _ files: ModelFiles, signature: ModelSignature, pooling: Pooling?
    ) throws(EmbedError) -> Int? {
        let tokenDimension = signature.dimension ?? files.transformer?.hiddenSize
        if let pooling, let expected = files.pooling?.wordEmbeddingDimension, let tokenDimension, expected != tokenDimension {
            throw EmbedError(
                .invalidModel,
                "1_Pooling/config.json expects token vectors of \(expected) values, the model gives \(tokenDimension) "
                    + "(output '\(signature.output)', pooling \(pooling))")
        }
        guard let pooling else { return signature.dimension }
        return (tokenDimension ?? files.pooling?.wordEmbeddingDimension).map { pooling.outputDimension(for: $0) }
    }

    private static func resolveMaxLength(
        _ files: ModelFiles, configuration: EmbedderConfiguration, logger: Logger
    ) throws(EmbedError) -> MaxLength {
        let special = try files.tokenizer.value().specialTokenCount
        if let value = configuration.maxLength {
            if let positions = files.transformer?.maxPositionEmbeddings, value > positions {
                throw EmbedError(
                    .invalidConfiguration,
                    "maximum length \(value) is larger than the model's \(positions) positions (config.json max_position_embeddings)")
            }
            guard value > special else {
                throw EmbedError(
                    .invalidConfiguration,
                    "maximum length \(value) leaves no room for text: the tokenizer adds \(special) special tokens")
            }
            return MaxLength(value: value, source: "configuration")
        }
        if let resolved = MaxLength.resolve(
            sentenceBert: files.sentenceBert, tokenizer: files.tokenizerConfiguration, model: files.transformer)
        {
            return resolved
        }
        if let fromFile = try files.tokenizer.value().configuredTruncation?.maxLength {
            logger.notice("no model configuration for \(files.name): maximum length \(fromFile) from tokenizer.json")
            return MaxLength(value: fromFile, source: "tokenizer.json truncation")
        }
        logger.notice("no model configuration for \(files.name): maximum length 512 by default")
        return MaxLength(value: 512, source: "default")
    }

    private static func resolveNormalization(
        _ files: ModelFiles, configuration: EmbedderConfiguration
    ) -> (Bool, String) {
        if let normalize = configuration.normalize { return (normalize, "configuration") }
        guard let modules = files.modules else { return (false, "no modules.json: no Normalize module") }
        let normalize = modules.contains { $0.kind == .normalize }
        return (normalize, normalize ? "modules.json Normalize module" : "modules.json has no Normalize module")
    }

    /// Embeds one short text: learns the output size when the files do not fix it, checks
    /// it when they do, and checks that the values are finite.
    private static func check(
        _ backend: ONNXBackend, tokenizer: Tokenizer, padId: Int, expected: Int?, enabled: Bool
    ) throws(EmbedError) -> Int {
        if let expected, !enabled { return expected }
        let batch = TokenBatch([tokenizer.encode("swift-embed checks that the model runs.")], padId: padId)
        guard let vector = try backend.embed(batch).first, !vector.isEmpty else {
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
        if let keys = metadata?.custom.keys.filter({ $0.lowercased().contains("quant") }).sorted(), !keys.isEmpty {
            evidence.append("metadata \(keys.joined(separator: ", "))")
        }
        if let scan = try? ONNXGraphScan(contentsOf: url), !scan.quantizedOperators.isEmpty {
            evidence.append("operators \(scan.quantizedOperators.joined(separator: ", "))")
        }
        return QuantizationInfo(evidence: evidence)
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
