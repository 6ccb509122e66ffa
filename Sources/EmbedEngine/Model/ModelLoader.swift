import EmbedCore
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

/// Reads a model's files, opens it in ONNX Runtime and checks that everything fits:
/// inputs, output, pooling, dimensions, maximum length. Every mismatch is an error that
/// says what was expected and what the files have; every default is logged.
enum ModelLoader {
    static func load(
        _ source: ModelSource, configuration: EmbedderConfiguration, logger: Logger
    ) throws(EmbedError) -> LoadedModel {
        try validate(configuration)
        let files = try ModelFiles.load(source, onnxFile: configuration.onnxFile)
        try checkModules(files)

        let environment: ORTEnvironment
        let session: ORTSession
        do throws(ORTError) {
            environment = try ORTEnvironment.shared(library: ORTLibrary.load(configuration.library), logger: logger)
            session = try ORTSession(path: files.onnxURL.path, options: configuration.session, environment: environment)
        } catch {
            throw wrap(error, file: files.onnxURL.path)
        }
        let signature = try ModelSignature(inputs: session.inputs, outputs: session.outputs)

        let pooling = try resolvePooling(files, signature: signature, configuration: configuration, logger: logger)
        let dimension = try resolveDimension(files, signature: signature, pooling: pooling)
        let maxLength = try resolveMaxLength(files, configuration: configuration, logger: logger)
        let (normalize, normalizeSource) = resolveNormalization(files, configuration: configuration)
        let tokenizer = files.tokenizer
        let padId = tokenizer.configuredPadding?.padId
            ?? tokenizer.id(forToken: "[PAD]") ?? tokenizer.id(forToken: "<pad>") ?? 0

        let library = environment.library
        let provider = "CPUExecutionProvider"
        let backend = ONNXBackend(
            session: session, signature: signature, pooling: pooling,
            engineName: "onnxruntime \(library.version) (\(provider))")
        let measuredDimension: Int
        if let dimension {
            measuredDimension = dimension
        } else {
            measuredDimension = try probeDimension(backend, tokenizer: tokenizer, padId: padId)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: files.onnxURL.path)[.size] as? NSNumber)?.int64Value
        let info = ModelInfo(
            name: files.name, path: source.description, onnxPath: files.onnxURL.path, onnxFileSize: size ?? 0,
            tokenizerPath: files.tokenizerURL.path, dimension: measuredDimension, maxLength: maxLength,
            pooling: pooling, normalize: normalize, normalizeSource: normalizeSource, inputs: session.inputs,
            outputs: session.outputs, outputName: signature.output, metadata: session.metadata,
            runtimeVersion: library.version, runtimePath: library.path, executionProvider: provider,
            availableProviders: (try? library.availableProviders()) ?? [],
            intraOpThreads: configuration.session.intraOpThreads)
        return LoadedModel(info: info, tokenizer: tokenizer, backend: backend, padId: padId)
    }

    private static func validate(_ configuration: EmbedderConfiguration) throws(EmbedError) {
        guard configuration.maxBatchSize >= 1 else {
            throw EmbedError(.invalidConfiguration, "maximum batch size must be at least 1, got \(configuration.maxBatchSize)")
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
        let special = files.tokenizer.specialTokenCount
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
        if let fromFile = files.tokenizer.configuredTruncation?.maxLength {
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

    /// Runs one short text to learn the output size when the files do not fix it.
    private static func probeDimension(_ backend: ONNXBackend, tokenizer: Tokenizer, padId: Int) throws(EmbedError) -> Int {
        let batch = TokenBatch([tokenizer.encode("dimension probe")], padId: padId)
        guard let dimension = try backend.embed(batch).first?.count, dimension > 0 else {
            throw EmbedError(.invalidModel, "the model returned an empty vector")
        }
        return dimension
    }

    /// Wraps a runtime error, naming the file.
    private static func wrap(_ error: ORTError, file: String) -> EmbedError {
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
