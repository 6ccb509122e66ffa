import ArgumentParser
import Logging

/// `--log-level`, shared by every command. Logs go to stderr; stdout carries results only.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: LogLevelArgument = .init(.warning)

    /// The one logger of the process (only the executable makes one).
    func makeLogger() -> Logger {
        LoggingBootstrap.once()
        var logger = Logger(label: "swift-embed")
        logger.logLevel = logLevel.level
        return logger
    }
}

struct LogLevelArgument: ExpressibleByArgument {
    var level: Logger.Level

    init(_ level: Logger.Level) { self.level = level }

    init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument.lowercased()) else { return nil }
        self.level = level
    }

    var defaultValueDescription: String { level.rawValue }

    static var allValueStrings: [String] { Logger.Level.allCases.map(\.rawValue) }
}

enum LoggingBootstrap {
    private static let done: Void = {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    }()

    static func once() { _ = done }
}
