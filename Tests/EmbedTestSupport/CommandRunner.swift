public import Foundation

/// Runs the built `embed` executable in a child process.
public enum CommandRunner {
    /// What a run printed and how it ended.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `embed` executable next to the test bundle (both are in the build's products folder).
    public static var executable: URL {
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [products, Bundle.main.bundleURL].map { $0.appendingPathComponent("embed") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// The child's environment: this process's, with the optimised graph cache in a
    /// temporary folder (tests never write to the user's cache).
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment
            .merging(["EMBED_ONNX_OPTIMIZED_CACHE_DIR": optimizedCache.path]) { $1 }
            .merging(extra) { $1 }
    }

    private static let optimizedCache = FileManager.default.temporaryDirectory
        .appendingPathComponent("swift-embed-tests-optimized-\(ProcessInfo.processInfo.processIdentifier)")

    /// Runs `embed arguments…` with `input` on its standard input.
    public static func run(_ arguments: [String], input: String = "") throws -> Output {
        try run(arguments, inputBytes: Data(input.utf8))
    }

    /// Runs `embed arguments…` without blocking a thread while it runs (for tests whose
    /// own tasks, such as a fake server, must keep running meanwhile).
    public static func runAsync(_ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        for url in [outURL, errURL] { try Data().write(to: url) }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.environment(environment)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Output(
            status: status,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Runs `embed arguments…` with raw bytes on its standard input.
    public static func run(_ arguments: [String], inputBytes: Data) throws -> Output {
        // Outputs go to files, so a chatty child can never block on a full pipe.
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inURL = folder.appendingPathComponent("stdin")
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        try inputBytes.write(to: inURL)
        for url in [outURL, errURL] { try Data().write(to: url) }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.environment()
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
