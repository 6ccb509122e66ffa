import EmbedCore
public import EmbedHub
import EmbedORT
public import EmbedTokenizers
import Foundation
public import Logging

/// Embeddings from a local model: tokenize, run the model, pool, normalise.
///
/// ```swift
/// let embedder = try await Embedder(.folder(modelURL), logger: logger)
/// let vectors = try await embedder.embed(["first text", "second text"])
/// ```
///
/// Any number of texts may be passed; they are tokenized with the model's own tokenizer,
/// truncated to its maximum length, grouped into batches and run on threads the embedder
/// owns (never on Swift's cooperative pool). Vectors come back in input order.
public final class Embedder: Sendable {
    /// What was loaded.
    public let info: ModelInfo
    /// The configuration in effect.
    public let configuration: EmbedderConfiguration

    let pipeline: Pipeline
    /// The threads that run the model (shared with ``EmbeddingScheduler``).
    let queue: InferenceQueue
    private let logger: Logger

    /// How vectors are made.
    enum Pipeline: Sendable {
        /// Tokenizer and model.
        case transformer(TransformerPipeline)
        /// The hashing engine.
        case hashing(HashingEngine)
    }

    /// Loads a model, validates it and (unless turned off) embeds one text to check it runs.
    /// A hub model id is first resolved through the model store (from the cache when it is
    /// there, else downloaded; see ``EmbedderConfiguration/hub``).
    /// With `configuration.engine == .hashing`, or when loading fails and the configuration
    /// allows the hashing fallback, the hashing engine is used instead (and logged).
    /// `progress` hears about hub downloads, if any.
    public init(
        _ source: ModelSource, configuration: EmbedderConfiguration = .init(), logger: Logger,
        progress: (@Sendable (DownloadProgress) -> Void)? = nil
    ) async throws(EmbedError) {
        let queue = InferenceQueue(label: "swift-embed.inference")
        let requested: String? = if case .hub(let id, _) = source { id.description } else { nil }
        let local: Result<(ModelSource, EmbedderConfiguration), EmbedError>
        do {
            local = .success(try await Self.localize(source, configuration: configuration, logger: logger, progress: progress))
        } catch {
            local = .failure(error)
        }
        let loaded = await queue.run { _ in
            Result { () throws(EmbedError) in
                var loaded = try Self.load(local, configuration: configuration, requested: requested, logger: logger)
                if case .hub = source, loaded.0.runtime != nil { loaded.0.name = source.description }
                return loaded
            }
        }
        (info, pipeline) = try loaded.get()
        self.configuration = configuration
        self.queue = queue
        self.logger = logger
        logger.info(
            "model loaded",
            metadata: [
                "model": "\(info.name)", "onnx": "\(info.runtime?.onnxPath ?? "-")", "dimension": "\(info.dimension)",
                "pooling": "\(info.pooling?.description ?? "none")", "normalize": "\(info.normalize)",
                "max_length": "\(info.maxLength)", "engine": "\(info.engine)",
                "quantized": "\(info.runtime?.quantization.isQuantized ?? false)",
                "intra_op_threads": "\(configuration.session.intraOpThreads == 0 ? "auto" : String(configuration.session.intraOpThreads))",
            ])
    }

    /// A hub source as the local folder the store resolves it to, with the ONNX file it chose.
    /// Local sources, and any source for the hashing engine, pass through.
    private static func localize(
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
    ) throws(EmbedError) -> (ModelInfo, Pipeline) {
        if configuration.engine == .hashing {
            logger.notice("using the hashing engine: the configuration turns ONNX off")
            return try hashing(configuration, fallbacks: [])
        }
        do {
            let (source, configuration) = try local.get()
            let loaded = try ModelLoader.load(source, configuration: configuration, knownAs: requested, logger: logger)
            let pipeline = TransformerPipeline(
                tokenizer: loaded.tokenizer, backend: loaded.backend,
                truncation: Truncation(maxLength: loaded.info.maxLength.value), padId: loaded.padId,
                outputModules: loaded.outputModules)
            return (loaded.info, .transformer(pipeline))
        } catch {
            guard configuration.fallback.contains(.hashing), error.code != .invalidConfiguration else { throw error }
            logger.warning(
                "falling back to the hashing engine (vectors in a different space): \(error.message)")
            return try hashing(configuration, fallbacks: ["hashing: \(error.message)"])
        }
    }

    private static func hashing(
        _ configuration: EmbedderConfiguration, fallbacks: [String]
    ) throws(EmbedError) -> (ModelInfo, Pipeline) {
        let engine = try HashingEngine(dimension: configuration.hashingDimension)
        let info = ModelInfo(
            name: "hashing", path: "", dimension: engine.dimension,
            maxLength: MaxLength(value: engine.maxWords, source: "hashing engine word limit"), pooling: nil,
            normalize: true, normalizeSource: "hashing engine", engine: engine.name, runtime: nil, fallbacks: fallbacks)
        return (info, .hashing(engine))
    }

    /// The model's tokenizer (`nil` for the hashing engine).
    public var tokenizer: Tokenizer? {
        if case .transformer(let pipeline) = pipeline { return pipeline.tokenizer }
        return nil
    }

    /// The vectors of `texts`, in order. `options` choose a prompt (see ``EmbedOptions``).
    public func embed(_ texts: [String], options: EmbedOptions = .init()) async throws(EmbedError) -> [[Float]] {
        try await embedWithDetails(texts, options: options).embeddings
    }

    /// The vectors of `texts` with token counts and the model and engine that made them.
    public func embedWithDetails(_ texts: [String], options: EmbedOptions = .init()) async throws(EmbedError) -> EmbeddingResult {
        guard !texts.isEmpty else { return emptyResult }
        let prompt = try prompt(for: options)
        return try await queue.run { [self] flag in Result { () throws(EmbedError) in try compute(texts, prompt, flag) } }.get()
    }

    /// Like ``embedWithDetails(_:options:)`` but blocking the calling thread: for command-line
    /// tools and benchmarks that own their thread. Never call it from async code.
    public func embedBlocking(_ texts: [String], options: EmbedOptions = .init()) throws(EmbedError) -> EmbeddingResult {
        guard !texts.isEmpty else { return emptyResult }
        let prompt = try prompt(for: options)
        return try queue.runBlocking { [self] flag in Result { () throws(EmbedError) in try compute(texts, prompt, flag) } }.get()
    }

    /// The prompt text `options` resolve to for this model (`nil`: none). The hashing
    /// engine has no prompts and ignores them.
    public func prompt(for options: EmbedOptions) throws(EmbedError) -> String? {
        guard case .transformer = pipeline else { return nil }
        return try info.prompts.resolve(options, configured: configuration.defaultOptions)
    }

    /// Tokenizes `text` as the embedder does (the model's maximum length, special tokens).
    public func encode(_ text: String) throws(EmbedError) -> Encoding {
        guard case .transformer(let pipeline) = pipeline else {
            throw EmbedError(.invalidInput, "the hashing engine has no tokenizer")
        }
        return pipeline.tokenizer.encode(text, truncation: pipeline.truncation)
    }

    private var emptyResult: EmbeddingResult {
        EmbeddingResult(embeddings: [], tokenCounts: [], model: info.name, engine: info.engine)
    }

    private func compute(_ texts: [String], _ prompt: String?, _ flag: CancellationFlag) throws(EmbedError) -> EmbeddingResult {
        switch pipeline {
        case .hashing(let engine):
            let results = texts.map { engine.embed($0) }
            return EmbeddingResult(
                embeddings: results.map(\.vector), tokenCounts: results.map(\.words), model: info.name, engine: info.engine)
        case .transformer(let pipeline):
            let planning = BatchPlanning(
                maxBatchSize: configuration.maxBatchSize, maxBatchTokens: configuration.maxBatchTokens,
                sortByLength: configuration.sortByLength, workers: configuration.workers)
            let (embeddings, counts, statistics) = try pipeline.embed(
                texts, prompt: prompt, plan: planning, dimension: info.dimension, normalize: info.normalize,
                cancellation: flag)
            return EmbeddingResult(
                embeddings: embeddings, tokenCounts: counts, model: info.name, engine: info.engine, statistics: statistics)
        }
    }
}

/// Vectors and what produced them.
public struct EmbeddingResult: Sendable, Equatable {
    /// One vector per input text, in input order.
    public var embeddings: [[Float]]
    /// The number of tokens of each text after truncation, special tokens included (words
    /// for the hashing engine).
    public var tokenCounts: [Int]
    /// The model's name.
    public var model: String
    /// The engine that made the vectors, e.g. `onnxruntime 1.31.1 (CPUExecutionProvider)`
    /// or `hashing (384 dimensions)`.
    public var engine: String
    /// Where the time went (tokenization, model, pooling; each batch), when the engine
    /// measured it: `embedWithDetails` on a model does.
    public var statistics: EmbeddingStatistics?
}
