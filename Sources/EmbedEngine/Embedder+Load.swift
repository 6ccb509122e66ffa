import EmbedCore
public import EmbedHub
import EmbedORT
public import Logging

extension Embedder {
    /// Loads a model, validates it and (unless turned off) embeds one text to check it runs.
    /// A hub model id is first resolved through the model store (from the cache when it is
    /// there, else downloaded; see ``EmbedderConfiguration/hub``).
    /// With `configuration.engine == .hashing`, or when loading fails and the configuration
    /// allows the hashing fallback, the hashing engine is used instead (and logged).
    /// `progress` hears about hub downloads, if any. Loading runs on the embedder's own threads.
    public convenience init(
        _ source: ModelSource, configuration: EmbedderConfiguration = .init(), logger: Logger,
        progress: (@Sendable (DownloadProgress) -> Void)? = nil
    ) async throws(EmbedError) {
        try Self.validate(configuration)
        let workers = Self.workers(configuration)
        let requested: String? = if case .hub(let id, _) = source { id.description } else { nil }
        let local: Result<(ModelSource, EmbedderConfiguration), EmbedError>
        do {
            var (localSource, localConfiguration) = try await Self.localize(
                source, configuration: configuration, logger: logger, progress: progress)
            if localConfiguration.runtime == .auto, localConfiguration.engine == .onnx {
                localConfiguration = try await RuntimeCalibration.resolve(localSource, configuration: localConfiguration, logger: logger)
            }
            local = .success((localSource, localConfiguration))
        } catch {
            local = .failure(error)
        }
        let loaded = await workers.run { _ in
            Result { () throws(EmbedError) in
                var model = try Self.load(local, configuration: configuration, requested: requested, logger: logger)
                if case .hub = source, model.info.runtime != nil { model.info.name = source.description }
                try model.validate()
                return model
            }
        }
        self.init(checked: try loaded.get(), configuration: configuration, workers: workers, logger: logger)
        let info = self.info
        logger.info(
            "model loaded",
            metadata: [
                "model": "\(info.name)", "onnx": "\(info.runtime?.onnxPath ?? "-")", "dimension": "\(info.dimension)",
                "pooling": "\(info.pooling?.description ?? "none")", "normalize": "\(info.normalize)",
                "max_length": "\(info.maxLength)", "engine": "\(info.engine)",
                "quantized": "\(info.runtime?.quantization.isQuantized ?? false)",
                "intra_op_threads": "\(configuration.session.intraOpThreads == 0 ? "auto" : String(configuration.session.intraOpThreads))",
                "workers": "\(configuration.batching.workers)",
            ])
    }

    /// A hub source as the local folder the store resolves it to, with the ONNX file it chose.
    /// Local sources, and any source for the hashing engine, pass through.
    static func localize(
        _ source: ModelSource, configuration: EmbedderConfiguration, logger: Logger,
        progress: (@Sendable (DownloadProgress) -> Void)?
    ) async throws(EmbedError) -> (ModelSource, EmbedderConfiguration) {
        guard case .hub(let id, let revision) = source, configuration.engine == .onnx else { return (source, configuration) }
        let store = ModelStore(configuration: configuration.hub, logger: logger)
        do {
            let resolved = try await store.resolve(
                id, revision: revision, variant: configuration.onnxFile.map(ONNXVariant.file) ?? configuration.variant,
                progress: progress)
            var local = configuration
            local.onnxFile = resolved.onnxFile
            return (.folder(resolved.folder), local)
        } catch {
            let code: EmbedError.Code = switch error.code {
            case .notFound, .notCached, .noONNXModel: .modelNotFound
            case .invalidModelID: .invalidConfiguration
            case .unauthorized, .network, .checksumMismatch, .io: .download
            }
            throw EmbedError(code, error.message, underlying: error)
        }
    }

    /// Loads the local model (or the hashing engine); `local` is the resolved source and its
    /// configuration, or why resolving it failed.
    private static func load(
        _ local: Result<(ModelSource, EmbedderConfiguration), EmbedError>, configuration: EmbedderConfiguration,
        requested: String?, logger: Logger
    ) throws(EmbedError) -> EmbeddingModel {
        if configuration.engine == .hashing {
            logger.notice("using the hashing engine: the configuration turns ONNX off")
            return try hashingModel(configuration, fallbacks: [])
        }
        do {
            let (source, configuration) = try local.get()
            return try ModelLoader.load(source, configuration: configuration, knownAs: requested, logger: logger)
        } catch {
            guard configuration.fallback.contains(.hashing), error.code != .invalidConfiguration else { throw error }
            logger.warning(
                "falling back to the hashing engine (vectors in a different space): \(error.message)")
            return try hashingModel(configuration, fallbacks: ["hashing: \(error.message)"])
        }
    }

    private static func hashingModel(_ configuration: EmbedderConfiguration, fallbacks: [String]) throws(EmbedError) -> EmbeddingModel {
        let engine = try HashingEngine(dimension: configuration.hashingDimension)
        let info = ModelInfo(
            name: "hashing", dimension: engine.dimension,
            maxLength: MaxLength(value: HashingTokenizer.maxBytes, source: "hashing engine: \(engine.maxWords) words, at most \(HashingTokenizer.maxBytes) bytes"),
            normalize: true, normalizeSource: "hashing engine", engine: engine.name, fallbacks: fallbacks)
        return EmbeddingModel(
            info: info, backend: HashingBackend(engine: engine), text: TextTower(tokenizer: HashingTokenizer(maxWords: engine.maxWords)))
    }
}
