public import EmbedORT
public import Logging
public import Foundation

/// Access to ONNX Runtime and to the real model for tests.
///
/// A plain `swift test` on a machine without the set-up skips the tests that need ONNX
/// Runtime or the real model (Swift Testing reports them as skipped). `make test` sets
/// `EMBED_REQUIRE_RUNTIME=1`, and then those tests always run: a missing library or model
/// fails them instead of skipping them.
public enum TestRuntime {
    /// Whether tests must not be skipped for want of set-up (`EMBED_REQUIRE_RUNTIME=1`).
    public static let isRequired = ProcessInfo.processInfo.environment["EMBED_REQUIRE_RUNTIME"] == "1"

    /// The ONNX Runtime library, when one can be found.
    public static let library: ORTLibrary? = try? ORTLibrary.load()

    /// Whether tests that need ONNX Runtime should run.
    public static var isAvailable: Bool { isRequired || library != nil }

    /// A logger for tests: warnings and above, to stderr.
    public static let logger: Logger = {
        var logger = Logger(label: "swift-embed.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// The process-wide environment (throws with the library search report when missing).
    public static func environment() throws -> ORTEnvironment {
        try ORTEnvironment.shared(library: ORTLibrary.load(), logger: logger)
    }

    /// The folder of the real all-MiniLM-L6-v2 model prepared by `make setup`.
    public static var realModelFolder: URL {
        TestPaths.cache.appendingPathComponent("models/all-MiniLM-L6-v2")
    }

    /// Whether tests that need the real model should run.
    public static var isRealModelAvailable: Bool {
        isRequired
            || (library != nil
                && FileManager.default.fileExists(atPath: realModelFolder.appendingPathComponent("onnx/model.onnx").path))
    }
}
