import EmbedCore
import EmbedEngine
import Logging
import ServiceLifecycle

/// The model's part of the server's life: load it (when the server was given a loader),
/// serve it through its scheduler, and on graceful shutdown drain the scheduler. Runs after
/// the HTTP server has stopped accepting, so requests in flight are answered first.
struct ModelService: Service {
    let host: ModelHost
    let configuration: ServerConfiguration
    let loadModel: (@Sendable () async throws -> Embedder)?
    let logger: Logger

    func run() async throws {
        let scheduler: EmbeddingScheduler
        if let loadModel {
            do {
                let start = ContinuousClock.now
                let embedder = try await loadModel()
                scheduler = try EmbeddingScheduler(
                    embedder: embedder, configuration: configuration.scheduler, logger: logger)
                ServerMetrics.recordModelLoad(start.duration(to: .now))
            } catch {
                host.fail("\(error)")
                logger.critical("the model could not be loaded: \(error)")
                throw error
            }
            host.becomeReady(scheduler)
        } else {
            guard case .ready(let ready, _) = host.current else { return }
            scheduler = ready
        }
        logReady(scheduler)
        try await scheduler.run()
    }

    private func logReady(_ scheduler: EmbeddingScheduler) {
        let info = scheduler.embedder.info
        let limits = scheduler.configuration
        logger.notice(
            "serving model",
            metadata: [
                "model": "\(configuration.modelID ?? info.name)", "path": "\(info.path)", "engine": "\(info.engine)",
                "provider": "\(info.runtime?.executionProvider ?? "none")", "dimension": "\(info.dimension)",
                "max_input_length": "\(info.maxLength.value)",
                "threads": "\(info.runtime.map { $0.intraOpThreads == 0 ? "auto" : String($0.intraOpThreads) } ?? "-")",
                "workers": "\(limits.workers)", "max_batch_tokens": "\(limits.maxBatchTokens)", "max_batch_size": "\(limits.maxBatchSize)",
                "max_concurrent_requests": "\(limits.maxConcurrentRequests)",
                "max_client_batch_size": "\(configuration.maxClientBatchSize)",
                "payload_limit": "\(configuration.payloadLimit)", "truncate": "\(configuration.truncateByDefault)",
                "cache_entries": "\(limits.cache.maxEntries)", "cache_bytes": "\(limits.cache.maxBytes)",
                "auth": "\(configuration.apiKey == nil ? "off" : "api key")",
            ])
    }
}
