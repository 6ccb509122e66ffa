import ArgumentParser
import Logging

/// `--log-level`, shared by every command. Logs go to stderr; stdout carries results only.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical (default: warning; info for serve). [log_level]")
    var logLevel: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel.lowercased()) == nil {
            throw ValidationError(
                "unknown --log-level '\(logLevel)': expected \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The one logger of the process (only the executable makes one), at `level`, or at the
    /// `--log-level` given, else `warning`.
    func makeLogger(level: Logger.Level? = nil) -> Logger {
        LoggingBootstrap.once()
        var logger = Logger(label: "swift-embed")
        logger.logLevel = level ?? logLevel.flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .warning
        return logger
    }
}

enum LoggingBootstrap {
    private static let done: Void = {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    }()

    static func once() { _ = done }
}
