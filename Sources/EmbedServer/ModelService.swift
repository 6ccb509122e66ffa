import EmbedCore
import EmbedEngine
import Logging
import ServiceLifecycle

/// The model's part of the server's life: load it (when the server was given a loader),
/// serve it, and on graceful shutdown drain its embedder. Runs after the HTTP server has
/// stopped accepting, so requests in flight are answered first.
struct ModelService: Service {
    let host: ModelHost
    let configuration: ServerConfiguration
    let loadModel: (@Sendable () async throws -> Embedder)?
    let logger: Logger

    func run() async throws {
        let embedder: Embedder
        if let loadModel {
            let projection: Fusion?
            do {
                let start = ContinuousClock.now
                embedder = try await loadModel()
                // A projection that does not fit the model stops the start, as a failed load does.
                projection = try configuration.fusion.loadProjection(dimension: embedder.info.dimension)
                ServerMetrics.recordModelLoad(start.duration(to: .now))
            } catch {
                host.fail("\(error)")
                logger.critical("the model could not be loaded: \(error)")
                throw error
            }
            host.becomeReady(embedder, projection: projection)
        } else {
            guard case .ready(let ready, _) = host.current else { return }
            embedder = ready
        }
        logReady(embedder)
        try? await gracefulShutdown()
        logger.info("draining the embedding queue", metadata: ["in_flight": "\(embedder.status.inFlight)"])
        await embedder.drain()
    }

    private func logReady(_ embedder: Embedder) {
        let info = embedder.info
        let batching = embedder.configuration.batching
        let cache = embedder.configuration.cache
        logger.notice(
            "serving model",
            metadata: [
                "model": "\(configuration.modelID ?? info.name)", "path": "\(info.path)", "engine": "\(info.engine)",
                "provider": "\(info.runtime?.executionProvider ?? "none")", "dimension": "\(info.dimension)",
                "max_input_length": "\(info.maxLength.value)",
                "threads": "\(info.runtime.map { $0.intraOpThreads == 0 ? "auto" : String($0.intraOpThreads) } ?? "-")",
                "workers": "\(batching.workers)", "max_batch_tokens": "\(batching.maxBatchTokens)",
                "max_batch_size": "\(batching.maxBatchSize)", "max_concurrent_requests": "\(batching.maxConcurrentRequests)",
                "max_client_batch_size": "\(configuration.maxClientBatchSize)",
                "payload_limit": "\(configuration.payloadLimit)", "truncate": "\(configuration.truncateByDefault)",
                "cache_entries": "\(cache.maxEntries)", "cache_bytes": "\(cache.maxBytes)",
                "auth": "\(configuration.apiKey == nil ? "off" : "api key")",
            ])
    }
}
