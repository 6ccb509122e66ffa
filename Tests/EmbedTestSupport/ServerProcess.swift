public import Foundation

/// `embed serve` as a child process whose standard error goes to a file, and the port it
/// logs once it listens.
public final class ServerProcess {
    public let process = Process()
    /// Its standard error.
    public let log: URL

    /// Starts `embed arguments…` (which should include `serve` and `--port 0`), its log in `folder`.
    public init(_ arguments: [String], environment: [String: String] = [:], in folder: URL) throws {
        log = folder.appendingPathComponent("stderr")
        try Data().write(to: log)
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        process.environment = CommandRunner.environment(environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// What it logged so far.
    public var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// The port from its "listening on" line, waiting up to 30 s; `nil` if it never came.
    public func port() async throws -> Int? {
        for _ in 0..<600 {
            if let range = logText.range(of: "listening on http://127.0.0.1:") {
                return Int(logText[range.upperBound...].prefix { $0.isNumber })
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
