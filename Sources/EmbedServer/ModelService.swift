import EmbedCore
import EmbedEngine
import Logging
import ServiceLifecycle

/// The models' part of the server's life: load them in order, the default first (when the
/// server was given loaders; one at a time, so that one model's load, and the runtime
/// measurement of `runtime auto`, does not compete with another's), serve them, and on
/// graceful shutdown drain their embedders. Runs after the HTTP server has stopped
/// accepting, so requests in flight are answered first.
struct ModelService: Service {
    let hosts: ModelHosts
    let configuration: ServerConfiguration
    /// One per model of ``hosts``, `nil` for one that was ready from the start.
    let loaders: [(@Sendable () async throws -> Embedder)?]
    let logger: Logger

    func run() async throws {
        var embedders: [(name: String, embedder: Embedder)] = []
        for (entry, loadModel) in zip(hosts.entries, loaders) {
            let embedder: Embedder
            if let loadModel {
                let projection: Fusion?
                do {
                    let start = ContinuousClock.now
                    embedder = try await loadModel()
                    // A projection that does not fit the model stops the start, as a failed load does.
                    projection = try hosts.projection(for: embedder, fusion: configuration.fusion)
                    ServerMetrics.recordModelLoad(start.duration(to: .now), model: entry.servedName(embedder))
                } catch {
                    entry.host.fail("\(error)")
                    logger.critical(
                        "the model could not be loaded: \(error)", metadata: entry.name.map { ["model": "\($0)"] } ?? [:])
                    throw error
                }
                entry.host.becomeReady(embedder, projection: projection)
            } else {
                guard case .ready(let ready, _) = entry.host.current else { return }
                embedder = ready
            }
            logReady(embedder, name: entry.servedName(embedder), isDefault: embedders.isEmpty)
            embedders.append((entry.servedName(embedder), embedder))
        }
        try? await gracefulShutdown()
        for (name, embedder) in embedders {
            logger.info(
                "draining the embedding queue", metadata: ["model": "\(name)", "in_flight": "\(embedder.status.inFlight)"])
            await embedder.drain()
        }
    }

    private func logReady(_ embedder: Embedder, name: String, isDefault: Bool) {
        let info = embedder.info
        let batching = embedder.configuration.batching
        let cache = embedder.configuration.cache
        var metadata: Logger.Metadata = [
            "model": "\(name)", "path": "\(info.path)", "engine": "\(info.engine)",
            "provider": "\(info.runtime?.executionProvider ?? "none")", "dimension": "\(info.dimension)",
            "max_input_length": "\(info.maxLength.value)",
            "threads": "\(info.runtime.map { $0.intraOpThreads == 0 ? "auto" : String($0.intraOpThreads) } ?? "-")",
            "workers": "\(batching.workers)", "max_batch_tokens": "\(batching.maxBatchTokens)",
            "max_batch_size": "\(batching.maxBatchSize)", "max_concurrent_requests": "\(batching.maxConcurrentRequests)",
            "max_client_batch_size": "\(configuration.maxClientBatchSize)",
            "payload_limit": "\(configuration.payloadLimit)", "truncate": "\(configuration.truncateByDefault)",
            "cache_entries": "\(cache.maxEntries)", "cache_bytes": "\(cache.maxBytes)",
            "auth": "\(configuration.apiKey == nil ? "off" : "api key")",
        ]
        if hosts.isMultiModel { metadata["default"] = "\(isDefault)" }
        logger.notice("serving model", metadata: metadata)
    }
}
