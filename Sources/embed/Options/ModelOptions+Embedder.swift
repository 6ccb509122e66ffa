import EmbedEngine
import Logging

extension ModelOptions {
    /// Settings and the process's logger, ready to make an embedder.
    struct Prepared {
        var loaded: SettingsLoader.Loaded
        var logger: Logger

        var settings: Settings { loaded.settings }
    }

    /// Reads the settings (file, environment, these flags and `extra` ones) and makes the
    /// logger at their level (default: warning, info when `serving`).
    func prepare(logging: LoggingOptions, extra: [SettingsLoader.Flag] = [], serving: Bool = false) throws -> Prepared {
        let loaded = try settings(logging: logging, extra: extra, serving: serving)
        let logger = logging.makeLogger(
            level: loaded.settings.logLevel ?? (serving ? .info : .warning), format: loaded.settings.logFormat)
        return Prepared(loaded: loaded, logger: logger)
    }

    /// The embedder the settings describe, downloading a hub model first if needed (with
    /// progress on standard error); `batchSize` overrides `batch.max_size`.
    func embedder(_ prepared: Prepared, batchSize: Int? = nil) async throws -> Embedder {
        let view = DownloadProgressView()
        return try await Embedder(
            prepared.settings.modelSource(), configuration: prepared.settings.embedderConfiguration(batchSize: batchSize),
            logger: prepared.logger, progress: { view.report($0) })
    }
}
