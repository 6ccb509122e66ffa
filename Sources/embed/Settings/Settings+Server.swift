import EmbedEngine
import EmbedServer

extension Settings {
    /// The server's configuration; the model's batch size is `batch.max_size`.
    func serverConfiguration() throws -> ServerConfiguration {
        let configuration = ServerConfiguration(
            host: server.host, port: server.port, apiKey: server.apiKey, modelID: server.modelID,
            maxClientBatchSize: server.maxClientBatchSize, payloadLimit: server.payloadLimit,
            truncateByDefault: server.truncate, refuseEmptyStrings: server.refuseEmptyStrings,
            scheduler: SchedulerConfiguration(
                maxBatchTokens: batch.maxTokens ?? SchedulerConfiguration().maxBatchTokens, maxBatchSize: batch.maxSize, maxPaddingRatio: server.maxPaddingRatio,
                maxConcurrentRequests: server.maxConcurrentRequests, workers: parallelism(serving: true).workers,
                cache: .init(maxEntries: server.cacheEntries, maxBytes: server.cacheBytes)))
        do {
            try configuration.validate()
        } catch {
            throw SettingsError(error.message)
        }
        return configuration
    }
}
