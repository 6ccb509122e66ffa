import Foundation

/// The Python side of `embed convert` and `embed quantize`: which interpreter and which
/// scripts, and how they are run.
struct Toolchain {
    /// The Python interpreter.
    var python: URL
    /// The folder holding convert_model.py, quantize_model.py and data/.
    var scripts: URL

    /// Finds the interpreter and scripts: the settings when they name them, else the
    /// swift-embed checkout found from the current folder or the executable's folder upwards
    /// (`scripts/convert_model.py`), with its `.cache/venv/bin/python` (or `EMBED_SETUP_DIR/venv`).
    static func locate(_ settings: Settings.Toolchain, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Toolchain {
        let root = checkout()
        let scripts: URL
        if let configured = settings.scripts {
            scripts = URL(fileURLWithPath: configured)
        } else if let root {
            scripts = root.appendingPathComponent("scripts")
        } else {
            throw CLIError(
                "cannot find the conversion scripts: no swift-embed checkout (a folder with scripts/convert_model.py) "
                    + "above the current folder or the embed executable; run embed from the checkout or set toolchain.scripts (--scripts)")
        }
        for script in ["convert_model.py", "quantize_model.py"] where !isFile(scripts.appendingPathComponent(script)) {
            throw CLIError("\(scripts.path) has no \(script): set toolchain.scripts (--scripts) to the swift-embed scripts/ folder")
        }
        var candidates: [URL] = []
        if let configured = settings.python {
            candidates = [URL(fileURLWithPath: configured)]
        } else {
            if let setup = environment["EMBED_SETUP_DIR"], !setup.isEmpty {
                candidates.append(URL(fileURLWithPath: setup).appendingPathComponent("venv/bin/python"))
            }
            if let root { candidates.append(root.appendingPathComponent(".cache/venv/bin/python")) }
        }
        guard let python = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            let looked = candidates.isEmpty ? "nowhere (no checkout found)" : candidates.map(\.path).joined(separator: ", ")
            throw CLIError(
                "no Python environment for the conversion tools: looked for \(looked). Run `make setup` in the swift-embed "
                    + "checkout (it creates .cache/venv with torch, transformers, sentence-transformers, onnx and onnxruntime), "
                    + "or set toolchain.python (--python) to a Python with scripts/requirements.txt installed")
        }
        return Toolchain(python: python, scripts: scripts)
    }

    /// The swift-embed checkout above the current folder or the executable, if any.
    static func checkout() -> URL? {
        var starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            starts.append(executable.deletingLastPathComponent())
        }
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                if isFile(folder.appendingPathComponent("scripts/convert_model.py")) { return folder }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return nil
    }

    /// Runs `script arguments…` with the interpreter; its output goes to standard error
    /// (standard output carries the command's own results). Returns the exit status.
    func run(_ script: String, _ arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = python
        process.arguments = [scripts.appendingPathComponent(script).path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: CLIError("cannot run \(python.path): \(error.localizedDescription)"))
            }
        }
    }

    private static func isFile(_ url: URL) -> Bool {
        (try? url.resolvingSymlinksInPath().resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true
    }
}
