import Logging
import Synchronization

/// A log handler that keeps what it is given, for tests that check what was logged.
final class LogRecorder: Sendable {
    /// One logged line.
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let entries = Mutex<[Entry]>([])

    /// A logger writing to this recorder, from `level` up.
    func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "embed-redis.tests") { _ in RecordingLogHandler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    /// Everything logged so far.
    var all: [Entry] { entries.withLock { $0 } }

    /// The messages logged so far that contain `text`.
    func messages(containing text: String) -> [String] {
        all.map(\.message).filter { $0.contains(text) }
    }

    fileprivate func append(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }
}

/// The `LogHandler` behind ``LogRecorder``.
struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        recorder.append(.init(level: event.level, message: "\(event.message)", metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
    }
}
