public import Logging
import Synchronization

/// The process-wide ONNX Runtime environment (`OrtEnv`).
///
/// ONNX Runtime allows one environment per process, so there is exactly one: created by
/// the first call to ``shared(library:logger:)`` and kept until the process exits (it is
/// deliberately never released: tearing it down during exit races with static
/// destructors inside the runtime). ONNX Runtime's own log lines are forwarded to the
/// `Logger` given on that first call.
public final class ORTEnvironment: @unchecked Sendable {
    // @unchecked: `handle` is written once in `init` and never changed; ORT documents the
    // environment as safe to share between threads and sessions.

    /// The library this environment was created from.
    public let library: ORTLibrary
    let handle: OpaquePointer

    private static let instance = Mutex<ORTEnvironment?>(nil)

    private init(library: ORTLibrary, logger: Logger) throws(ORTError) {
        self.library = library
        ORTLogBridge.install(logger)
        let level = ORTLogBridge.ortSeverity(for: logger.logLevel)
        handle = try library.api.make("CreateEnvWithCustomLogger") { out in
            library.api.createEnvWithCustomLogger(ORTLogBridge.callback, nil, level, "swift-embed", out)
        }
    }

    /// The environment, created on first use from `library` (or, when `nil`, from
    /// ``ORTLibrary/load(_:)`` with the default search).
    public static func shared(library: ORTLibrary? = nil, logger: Logger) throws(ORTError) -> ORTEnvironment {
        try instance.withLock { (current: inout ORTEnvironment?) throws(ORTError) -> ORTEnvironment in
            if let current { return current }
            let resolved: ORTLibrary
            if let library { resolved = library } else { resolved = try ORTLibrary.load() }
            let environment = try ORTEnvironment(library: resolved, logger: logger)
            current = environment
            return environment
        }
    }

    /// The execution providers this build of ONNX Runtime was compiled with, in its own
    /// order of preference (for example `["CPUExecutionProvider"]`). A provider listed here
    /// may still fail to register when its system libraries (CUDA, …) are missing.
    public func availableProviders() throws(ORTError) -> [String] {
        try library.availableProviders()
    }
}

extension ORTLibrary {
    /// The execution providers compiled into this library (see ``ORTEnvironment/availableProviders()``).
    public func availableProviders() throws(ORTError) -> [String] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var count: Int32 = 0
        try api.check(api.getAvailableProviders(&names, &count), "GetAvailableProviders")
        defer { try? api.check(api.releaseAvailableProviders(names, count), "ReleaseAvailableProviders") }
        guard let names else { return [] }
        return (0..<Int(count)).compactMap { index in names[index].map { String(cString: $0) } }
    }
}

/// Forwards ONNX Runtime's log lines to swift-log.
enum ORTLogBridge {
    private static let logger = Mutex<Logger?>(nil)

    static func install(_ newLogger: Logger) {
        var tagged = newLogger
        tagged[metadataKey: "component"] = "onnxruntime"
        logger.withLock { $0 = tagged }
    }

    /// ORT's `OrtLoggingLevel` for a swift-log level: ORT logs at or above it are forwarded.
    static func ortSeverity(for level: Logger.Level) -> Int32 {
        switch level {
        case .trace: 0
        case .debug: 1
        case .info, .notice, .warning: 2
        case .error: 3
        case .critical: 4
        }
    }

    static let callback: ORTAPI.LoggingFunction = { _, severity, category, _, location, message in
        guard let current = ORTLogBridge.logger.withLock({ $0 }) else { return }
        let text = message.map { String(cString: $0) } ?? ""
        let level: Logger.Level = switch severity {
        case 0: .trace
        case 1: .debug  // ORT's "info" lines are chatty: keep them at debug
        case 2: .warning
        case 3: .error
        default: .critical
        }
        var metadata: Logger.Metadata = [:]
        if let category { metadata["ort_category"] = "\(String(cString: category))" }
        if let location { metadata["ort_location"] = "\(String(cString: location))" }
        current.log(level: level, "\(text)", metadata: metadata)
    }
}
