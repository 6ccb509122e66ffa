import EmbedServer

extension Settings {
    /// The server's configuration (the batching settings go to the embedder's, see
    /// ``embedderConfiguration(batchSize:serving:)``).
    func serverConfiguration() throws -> ServerConfiguration {
        let configuration = ServerConfiguration(
            host: server.host, port: server.port, apiKey: server.apiKey, modelID: server.modelID,
            maxClientBatchSize: server.maxClientBatchSize, payloadLimit: server.payloadLimit,
            truncateByDefault: server.truncate, refuseEmptyStrings: server.refuseEmptyStrings,
            openAITokenIDs: server.openAITokenIDs, tiktoken: TiktokenFileSearch(path: server.tiktokenFile),
            timeouts: ServerTimeouts(
                idle: .seconds(server.idleTimeout), body: .seconds(server.bodyTimeout), drain: .seconds(server.drainTimeout)),
            corsAllowOrigins: server.corsAllowOrigins, allowedHosts: server.allowedHosts,
            maxTokenizeTokens: server.maxTokenizeTokens, fusion: serverFusion(), imageURLs: imageURLPolicy())
        do {
            try configuration.validate()
        } catch {
            throw SettingsError(error.message)
        }
        return configuration
    }
}
