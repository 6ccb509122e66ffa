import EmbedCore
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
    /// The model's tokenizer.
    public let tokenizer: Tokenizer
    /// The configuration in effect.
    public let configuration: EmbedderConfiguration

    let backend: any EmbeddingBackend
    let truncation: Truncation
    let padId: Int
    private let queue: InferenceQueue
    private let logger: Logger

    /// Loads a model, validates it and (unless turned off) embeds one text to check it runs.
    public convenience init(
        _ source: ModelSource, configuration: EmbedderConfiguration = .init(), logger: Logger
    ) async throws(EmbedError) {
        let queue = InferenceQueue(label: "swift-embed.inference")
        let loaded = await queue.run { _ in
            Result { () throws(EmbedError) in try ModelLoader.load(source, configuration: configuration, logger: logger) }
        }
        try self.init(loaded.get(), configuration: configuration, queue: queue, logger: logger)
        if configuration.checkOnLoad { try await checkRuns() }
        logger.info(
            "model loaded",
            metadata: [
                "model": "\(info.name)", "onnx": "\(info.onnxPath)", "dimension": "\(info.dimension)",
                "pooling": "\(info.pooling?.description ?? "in the model")", "normalize": "\(info.normalize)",
                "max_length": "\(info.maxLength)", "engine": "\(info.engine)",
                "intra_op_threads": "\(info.intraOpThreads == 0 ? "auto" : String(info.intraOpThreads))",
            ])
    }

    private init(_ loaded: LoadedModel, configuration: EmbedderConfiguration, queue: InferenceQueue, logger: Logger) {
        info = loaded.info
        tokenizer = loaded.tokenizer
        backend = loaded.backend
        truncation = Truncation(maxLength: loaded.info.maxLength.value)
        padId = loaded.padId
        self.configuration = configuration
        self.queue = queue
        self.logger = logger
    }

    /// The vectors of `texts`, in order.
    public func embed(_ texts: [String]) async throws(EmbedError) -> [[Float]] {
        try await embedWithDetails(texts).embeddings
    }

    /// The vectors of `texts` with token counts and the model and engine that made them.
    public func embedWithDetails(_ texts: [String]) async throws(EmbedError) -> EmbeddingResult {
        guard !texts.isEmpty else { return emptyResult }
        return try await queue.run { [self] flag in Result { () throws(EmbedError) in try compute(texts, flag) } }.get()
    }

    /// Like ``embedWithDetails(_:)`` but blocking the calling thread: for command-line
    /// tools and benchmarks that own their thread. Never call it from async code.
    public func embedBlocking(_ texts: [String]) throws(EmbedError) -> EmbeddingResult {
        guard !texts.isEmpty else { return emptyResult }
        return try queue.runBlocking { [self] flag in Result { () throws(EmbedError) in try compute(texts, flag) } }.get()
    }

    /// Tokenizes `text` as the embedder does (the model's maximum length, special tokens).
    public func encode(_ text: String) -> Encoding {
        tokenizer.encode(text, truncation: truncation)
    }

    private var emptyResult: EmbeddingResult {
        EmbeddingResult(embeddings: [], tokenCounts: [], model: info.name, engine: backend.engineName)
    }

    private func compute(_ texts: [String], _ flag: CancellationFlag) throws(EmbedError) -> EmbeddingResult {
        let encodings = texts.map { tokenizer.encode($0, truncation: truncation) }
        let plan = BatchPlanner.plan(
            lengths: encodings.map(\.count), maxBatchSize: configuration.maxBatchSize,
            sortByLength: configuration.sortByLength)
        var embeddings = [[Float]](repeating: [], count: texts.count)
        for indices in plan {
            if flag.isCancelled { throw EmbedError(.cancelled, "embedding was cancelled") }
            let batch = TokenBatch(indices.map { encodings[$0] }, padId: padId)
            let vectors = try backend.embed(batch)
            guard vectors.count == indices.count else {
                throw EmbedError(.runtime, "the backend returned \(vectors.count) vectors for \(indices.count) texts")
            }
            for (index, vector) in zip(indices, vectors) {
                guard vector.count == info.dimension else {
                    throw EmbedError(
                        .invalidModel, "the model returned a vector of \(vector.count) values, expected \(info.dimension)")
                }
                embeddings[index] = info.normalize ? VectorMath.l2Normalized(vector) : vector
            }
        }
        return EmbeddingResult(
            embeddings: embeddings, tokenCounts: encodings.map(\.realTokenCount), model: info.name,
            engine: backend.engineName)
    }

    /// Embeds one text and checks the vector: right size, finite values.
    private func checkRuns() async throws(EmbedError) {
        let result = try await embedWithDetails(["swift-embed checks that the model runs."])
        guard let vector = result.embeddings.first, vector.allSatisfy(\.isFinite) else {
            throw EmbedError(.invalidModel, "the model produced non-finite values on a test sentence")
        }
    }
}

/// Vectors and what produced them.
public struct EmbeddingResult: Sendable, Equatable {
    /// One vector per input text, in input order.
    public var embeddings: [[Float]]
    /// The number of tokens of each text after truncation, special tokens included.
    public var tokenCounts: [Int]
    /// The model's name.
    public var model: String
    /// The engine that ran it, e.g. `onnxruntime 1.31.1 (CPUExecutionProvider)`.
    public var engine: String
}
