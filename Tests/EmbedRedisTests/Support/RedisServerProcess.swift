import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A `redis-server` of the test's own, on a free loopback port, in a temporary folder,
/// without persistence (`--save '' --appendonly no`).
///
/// ``kill()`` ends it at once (SIGKILL, as a crash would; no call here blocks a thread) and ``restart()`` starts it again
/// on the same port. ``stop()`` (also run on deinit) kills it and removes its folder. A
/// watchdog shell kills the server within a second should the test process die first.
final class RedisServerProcess: Sendable {
    /// How to run the server.
    struct Options: Sendable {
        /// `--requirepass` (the `default` user's password).
        var password: String?
        /// ACL users (name, password) with every permission on every key.
        var users: [(name: String, password: String)] = []
        /// `--maxmemory` (with `--maxmemory-policy noeviction`), such as `1mb`.
        var maxMemory: String?
        /// Serve TLS only, with these files (PEM), clients not asked for certificates.
        var tls: TLSFiles?

        /// The server's certificate, its key and the CA that signed it.
        struct TLSFiles: Sendable {
            var certificate: URL
            var key: URL
            var ca: URL
        }
    }

    /// The loopback port the server listens on.
    let port: Int
    /// Its temporary folder (working directory and log).
    let directory: URL
    let options: Options
    private let running = Mutex<[Process]>([])

    private init(port: Int, directory: URL, options: Options) {
        self.port = port
        self.directory = directory
        self.options = options
    }

    deinit { stop() }

    /// Starts a server on a free port (retrying on another port if that one was taken
    /// meanwhile) and returns once it accepts connections.
    static func start(_ options: Options = .init()) async throws -> RedisServerProcess {
        var lastError: (any Error)?
        for _ in 0..<5 {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("embed-redis-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let server = RedisServerProcess(port: try await freePort(), directory: directory, options: options)
            do {
                try await server.launch()
                return server
            } catch {
                server.stop()
                lastError = error
            }
        }
        throw lastError ?? ServerError("redis-server did not start")
    }

    /// Kills the server (SIGKILL) and its watchdog without waiting (the kernel frees the
    /// port as the process dies).
    func kill() {
        let processes = running.withLock { processes in
            defer { processes = [] }
            return processes
        }
        for process in processes where process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
        }
    }

    /// Kills the server and waits (without blocking a thread) until it has exited.
    func killAndWait() async throws {
        let processes = running.withLock { $0 }
        kill()
        let deadline = ContinuousClock.now + .seconds(10)
        while processes.contains(where: \.isRunning) {
            guard ContinuousClock.now < deadline else { throw ServerError("redis-server on port \(port) did not exit") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Starts the server again on the same port after ``kill()``.
    func restart() async throws {
        try await killAndWait()
        try await launch()
    }

    /// Kills the server and removes its folder.
    func stop() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The server's log so far.
    var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("redis.log"), encoding: .utf8)) ?? ""
    }

    /// Runs `redis-server` and waits for "Ready to accept connections" in its log.
    private func launch() async throws {
        guard let executable = RedisTestEnvironment.redisServer else {
            throw ServerError("redis-server is not installed (apt-get install -y redis-server)")
        }
        let logFile = directory.appendingPathComponent("redis.log")
        try? FileManager.default.removeItem(at: logFile)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments(logFile: logFile)
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        let parent = ProcessInfo.processInfo.processIdentifier
        let child = process.processIdentifier
        watchdog.arguments = [
            "-c", "while kill -0 \(parent) 2>/dev/null && kill -0 \(child) 2>/dev/null; do sleep 1; done; kill -9 \(child) 2>/dev/null",
        ]
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
        running.withLock { $0 = [process, watchdog] }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if log.contains("Ready to accept connections") { return }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        kill()
        throw ServerError("redis-server on port \(port) did not become ready; its log:\n\(log)")
    }

    private func arguments(logFile: URL) -> [String] {
        var arguments = [
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.path,
            "--logfile", logFile.path, "--daemonize", "no", "--loglevel", "notice",
        ]
        if let tls = options.tls {
            arguments += [
                "--port", "0", "--tls-port", String(port), "--tls-cert-file", tls.certificate.path,
                "--tls-key-file", tls.key.path, "--tls-ca-cert-file", tls.ca.path, "--tls-auth-clients", "no",
            ]
        } else {
            arguments += ["--port", String(port)]
        }
        if let password = options.password { arguments += ["--requirepass", password] }
        for user in options.users {
            arguments += ["--user", user.name, "on", ">\(user.password)", "~*", "&*", "+@all"]
        }
        if let maxMemory = options.maxMemory {
            arguments += ["--maxmemory", maxMemory, "--maxmemory-policy", "noeviction"]
        }
        return arguments
    }

    /// A loopback port nobody listens on right now (bound to port 0, then released).
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw ServerError("no free port") }
        return port
    }
}

/// A failure of the test harness itself.
struct ServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
