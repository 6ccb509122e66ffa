import ArgumentParser
import Logging
import Synchronization

/// `--log-level`, shared by every command. Logs go to stderr; stdout carries results only.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical (default: warning; info for serve). [log_level]")
    var logLevel: String?

    @Option(name: .long, help: "Log lines: text or json (one object per line). [log_format]")
    var logFormat: String?

    func validate() throws {
        if let logFormat, LogFormat(rawValue: logFormat.lowercased()) == nil {
            throw ValidationError("unknown --log-format '\(logFormat)': expected text or json")
        }
        if let logLevel, Logger.Level(rawValue: logLevel.lowercased()) == nil {
            throw ValidationError(
                "unknown --log-level '\(logLevel)': expected \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The one logger of the process (only the executable makes one), at `level`, or at the
    /// `--log-level` given, else `warning`; its lines as `format` says (default: the
    /// `--log-format` given, else text). The first logger made sets the format for the process.
    func makeLogger(level: Logger.Level? = nil, format: LogFormat? = nil) -> Logger {
        LoggingBootstrap.once(format ?? logFormat.flatMap { LogFormat(rawValue: $0.lowercased()) } ?? .text)
        var logger = Logger(label: "swift-embed")
        logger.logLevel = level ?? logLevel.flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .warning
        return logger
    }
}

enum LoggingBootstrap {
    private static let done = Mutex(false)

    /// Bootstraps swift-log with `format`'s handler, the first time only.
    static func once(_ format: LogFormat) {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        switch format {
        case .text: LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        case .json: LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        }
    }
}
