import EmbedCore
import EmbedEngine
import EmbedHub
import EmbedOpenVINO
import EmbedORT
import Foundation

/// The settings as the library's configuration structs.
extension Settings {
    /// The ONNX file choice.
    var onnxVariant: ONNXVariant {
        switch onnx.variant {
        case .auto: .auto(preferQuantized: onnx.quantized ?? false)
        case .fp32: .fp32
        case .quantized: .quantized
        case .fp16: .fp16
        }
    }

    /// Where hub models come from and where they are cached.
    var hubConfiguration: HubConfiguration {
        HubConfiguration(
            endpoint: URL(string: hub.endpoint) ?? URL(fileURLWithPath: "/"), token: hub.token,
            cacheDirectory: URL(fileURLWithPath: cacheDir), offline: offline)
    }

    /// The embedder's configuration; `batchSize` overrides `batch.max_size` (benchmarks);
    /// `serving` picks the server's defaults for the keys left unset (memory arena and
    /// thread spinning off, runtime auto).
    func embedderConfiguration(batchSize: Int? = nil, serving: Bool = false) throws -> EmbedderConfiguration {
        let memoryArena = onnx.memoryArena ?? !serving
        let (workers, threads) = parallelism(serving: serving)
        return EmbedderConfiguration(
            batching: BatchingConfiguration(
                maxBatchSize: batchSize ?? batch.maxSize, maxBatchTokens: batch.maxTokens,
                maxPaddingRatio: server.maxPaddingRatio, sortByLength: batch.sortByLength, workers: workers,
                maxConcurrentRequests: server.maxConcurrentRequests),
            cache: EmbeddingCache.Configuration(maxEntries: server.cacheEntries, maxBytes: server.cacheBytes),
            maxLength: maxLength,
            normalize: normalize,
            pooling: try pooling.map { try Pooling([$0]) },
            onnxFile: onnx.modelPath,
            variant: onnxVariant,
            hub: hubConfiguration,
            session: ORTSessionOptions(
                intraOpThreads: threads, interOpThreads: onnx.interOpNumThreads,
                graphOptimizationLevel: onnx.graphOptimizationLevel, executionMode: onnx.executionMode,
                memoryArena: memoryArena, memoryPattern: memoryArena,
                configEntries: (onnx.spinning ?? !serving) ? [:] : ["session.intra_op.allow_spinning": "0"]),
            optimizedModelCache: onnx.optimizedCache
                ? OptimizedModelCache(
                    directory: onnx.optimizedCacheDir.map { URL(fileURLWithPath: $0) } ?? OptimizedModelCache.defaultDirectory)
                : nil,
            library: ORTLibraryConfiguration(path: onnx.libraryPath),
            engine: onnx.enabled ? .onnx : .hashing,
            runtime: runtime ?? (serving ? .auto : EmbedderConfiguration().runtime),
            openVINO: OpenVINOConfiguration(
                precision: openVINO.precision, performanceHint: openVINO.performanceHint,
                library: OVLibraryConfiguration(path: openVINO.libraryPath),
                modelCacheDirectory: openVINO.modelCache
                    ? openVINO.cacheDir ?? Self.defaultOpenVINOCacheDirectory.path : nil),
            providers: onnx.providers,
            fallback: fallback,
            hashingDimension: hashing.dimension,
            defaultPrompt: promptChoice,
            useRegistry: registry,
            images: ImageInputConfiguration(
                maxBytes: images.maxBytes, maxPixels: images.maxPixels, appliesOrientation: images.exifOrientation))
    }

    /// OpenVINO's model cache beside the optimised-graph cache (`…/swift-embed/openvino`).
    static var defaultOpenVINOCacheDirectory: URL {
        OptimizedModelCache.defaultDirectory.deletingLastPathComponent().appendingPathComponent("openvino")
    }

    /// The model to load. The hashing engine needs none (any source is ignored then).
    func modelSource() throws -> ModelSource {
        guard let model else {
            guard onnx.enabled else { return .folder(URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) }
            throw SettingsError(
                "no model: pass --model (a folder, an .onnx file or a hub id such as sentence-transformers/all-MiniLM-L6-v2), "
                    + "or set `model` in the configuration file or EMBED_MODEL")
        }
        return try ModelSource.named(model, revision: revision, tokenizer: tokenizer)
    }

    /// The prompt choice of `prompt_name` and `prompt` (both set: refused when the settings load).
    var promptChoice: PromptChoice {
        if let prompt { return .literal(prompt) }
        return promptName.map(PromptChoice.named) ?? .automatic
    }

    /// Model runs at once and intra-op threads per run: as configured; for `embed serve`
    /// with neither set, ``servingWorkers`` runs of cores ÷ ``servingWorkers`` threads on a
    /// machine of at least that many cores (see ``servingRule``); otherwise
    /// ``BatchingConfiguration/workers``.
    func parallelism(serving: Bool) -> (workers: Int, threads: Int) {
        if let workers = batch.workers { return (workers, onnx.intraOpNumThreads) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard serving, onnx.intraOpNumThreads == 0, cores >= Self.servingWorkers else {
            return (BatchingConfiguration().workers, onnx.intraOpNumThreads)
        }
        return (Self.servingWorkers, cores / Self.servingWorkers)
    }

    /// The workers of `embed serve` when neither workers nor threads are set. Many concurrent
    /// requests keep two single-threaded runs busy with less synchronisation than one run on
    /// two threads: measured on 2 cores at 64 connections, 47.4 against 39.1 requests/s and
    /// 41 against 49 ms of CPU per request (docs/server.md).
    static let servingWorkers = 2

    /// The workers default in words, for help texts.
    static let workersDefault = "\(BatchingConfiguration().workers); for embed serve, when neither this nor the threads are set, "
        + "\(servingWorkers) runs of cores ÷ \(servingWorkers) threads each on a machine of \(servingWorkers) or more cores"
}
