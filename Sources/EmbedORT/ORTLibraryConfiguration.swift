public import Foundation

/// Where to look for the ONNX Runtime library, in this order:
///
/// 1. ``path``, when set (a file, or a folder holding `libonnxruntime.*`);
/// 2. the `ORT_DYLIB_PATH` environment variable, when set (file or folder);
/// 3. the project's own install folder, `.cache/onnxruntime/lib`, in the folder of the
///    running executable or any folder above it, then in the current directory or above
///    (this is where `make setup` links the library), and `lib/` next to the executable's
///    folder (an installed layout: `bin/embed`, `lib/libonnxruntime.so`);
/// 4. the system: the dynamic loader's own search (`LD_LIBRARY_PATH`, the loader cache,
///    `DYLD_LIBRARY_PATH`), then `/usr/local/lib`, `/usr/lib` and, on macOS, Homebrew's folders.
///
/// A location named in 1 or 2 that cannot be loaded is an error; it is never skipped in
/// favour of another library.
public struct ORTLibraryConfiguration: Sendable, Equatable {
    /// An explicit path to the library file or to the folder holding it.
    public var path: String?
    /// The environment to read `ORT_DYLIB_PATH` from.
    public var environment: [String: String]
    /// Whether to search the project folder and the system after the explicit locations.
    public var searchDefaultLocations: Bool

    /// Creates a configuration.
    public init(
        path: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        searchDefaultLocations: Bool = true
    ) {
        self.path = path
        self.environment = environment
        self.searchDefaultLocations = searchDefaultLocations
    }

    /// The library's file name on this platform.
    public static var libraryFileName: String {
        #if os(macOS)
        "libonnxruntime.dylib"
        #else
        "libonnxruntime.so"
        #endif
    }

    /// The project-relative folder `make setup` links the library into.
    public static let projectLibraryFolder = ".cache/onnxruntime/lib"

    enum Candidate: Equatable {
        /// A location the user named: load it or fail.
        case required(path: String, origin: String)
        /// A file to try if it exists.
        case file(String)
        /// A bare name handed to the dynamic loader's own search.
        case loaderName(String)
        /// A location that was not tried, with the reason (for the error message).
        case skipped(String)
    }

    func candidates() -> [Candidate] {
        var result: [Candidate] = []
        if let path, !path.isEmpty {
            result.append(.required(path: Self.resolve(path), origin: "configured library path \(path)"))
        }
        if let env = environment["ORT_DYLIB_PATH"], !env.isEmpty {
            result.append(.required(path: Self.resolve(env), origin: "ORT_DYLIB_PATH=\(env)"))
        } else {
            result.append(.skipped("ORT_DYLIB_PATH (not set)"))
        }
        guard searchDefaultLocations else { return result }

        var seen = Set<String>()
        for folder in Self.projectFolders() {
            let file = folder + "/" + Self.projectLibraryFolder + "/" + Self.libraryFileName
            if seen.insert(file).inserted { result.append(.file(file)) }
        }
        if let executableFolder = Self.executableFolder() {
            let installed = (executableFolder as NSString).deletingLastPathComponent + "/lib/" + Self.libraryFileName
            if seen.insert(installed).inserted { result.append(.file(installed)) }
        }
        result.append(.loaderName(Self.libraryFileName))
        for folder in Self.systemFolders {
            result.append(.file(folder + "/" + Self.libraryFileName))
        }
        return result
    }

    /// A folder is accepted for a file: the library inside it is used.
    static func resolve(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return path
        }
        let plain = path + "/" + libraryFileName
        if FileManager.default.fileExists(atPath: plain) { return plain }
        // Wheels ship only the versioned file (libonnxruntime.so.1.31.1).
        let versioned = (try? FileManager.default.contentsOfDirectory(atPath: path))?
            .filter { $0.hasPrefix("libonnxruntime.") && !$0.contains("providers") }
            .sorted()
            .last
        return versioned.map { path + "/" + $0 } ?? plain
    }

    static var systemFolders: [String] {
        #if os(macOS)
        ["/opt/homebrew/lib", "/usr/local/lib", "/opt/homebrew/opt/onnxruntime/lib"]
        #else
        ["/usr/local/lib", "/usr/lib", "/usr/lib64"]
        #endif
    }

    static func executableFolder() -> String? {
        Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    /// The executable's folder and every folder above it, then the current directory and
    /// every folder above it.
    static func projectFolders() -> [String] {
        var starts: [String] = []
        if let executableFolder = executableFolder() { starts.append(executableFolder) }
        starts.append(FileManager.default.currentDirectoryPath)
        var folders: [String] = []
        for start in starts {
            var url = URL(fileURLWithPath: start).standardizedFileURL
            while true {
                folders.append(url.path)
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path || url.path == "/" { break }
                url = parent
            }
        }
        return folders
    }
}
