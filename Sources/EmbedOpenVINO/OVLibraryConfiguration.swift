public import Foundation

/// Where to look for OpenVINO's C library (`libopenvino_c`), in this order:
///
/// 1. ``path``, when set (the library file, or a folder holding it);
/// 2. the `OPENVINO_LIB_PATH` environment variable, when set (file or folder);
/// 3. the project's own install folder, `.cache/openvino/lib` (where
///    `scripts/install-openvino.sh` links the libraries), in the folder of the running
///    executable or any folder above it, then in the current directory or above; and
///    `lib/` next to the executable's folder (an installed layout: `bin/embed`, `lib/…`);
/// 4. the system: the dynamic loader's own search (`LD_LIBRARY_PATH`, the loader cache,
///    `DYLD_LIBRARY_PATH`), then `/usr/local/lib`, `/usr/lib` and, on macOS, Homebrew's folders.
///
/// A location named in 1 or 2 that cannot be loaded is an error; it is never skipped in
/// favour of another library. OpenVINO finds its CPU plugin and ONNX frontend in the
/// folder the C library's `libopenvino` was loaded from, so that folder must hold them too.
public struct OVLibraryConfiguration: Sendable, Equatable {
    /// An explicit path to the library file or to the folder holding it.
    public var path: String?
    /// The environment to read `OPENVINO_LIB_PATH` from.
    public var environment: [String: String]
    /// Whether to search the project folder and the system after the explicit locations.
    public var searchDefaultLocations: Bool

    /// The environment variable that names the library file or its folder.
    public static let environmentVariable = "OPENVINO_LIB_PATH"

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

    /// The C library's file name on this platform.
    public static var libraryFileName: String {
        #if os(macOS)
        "libopenvino_c.dylib"
        #else
        "libopenvino_c.so"
        #endif
    }

    /// The project-relative folder `scripts/install-openvino.sh` links the libraries into.
    public static let projectLibraryFolder = ".cache/openvino/lib"

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
        if let env = environment[Self.environmentVariable], !env.isEmpty {
            result.append(.required(path: Self.resolve(env), origin: "\(Self.environmentVariable)=\(env)"))
        } else {
            result.append(.skipped("\(Self.environmentVariable) (not set)"))
        }
        guard searchDefaultLocations else { return result }

        var seen = Set<String>()
        for folder in Self.projectFolders() {
            let file = (folder == "/" ? "" : folder) + "/" + Self.projectLibraryFolder + "/" + Self.libraryFileName
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
        // The wheel's own `libs` folder holds only the versioned file (libopenvino_c.so.2641,
        // libopenvino_c.2641.dylib).
        let versioned = (try? FileManager.default.contentsOfDirectory(atPath: path))?
            .filter { $0.hasPrefix("libopenvino_c.") }
            .sorted()
            .last
        return versioned.map { path + "/" + $0 } ?? plain
    }

    static var systemFolders: [String] {
        #if os(macOS)
        ["/opt/homebrew/lib", "/usr/local/lib", "/opt/homebrew/opt/openvino/lib"]
        #else
        ["/usr/local/lib", "/usr/lib", "/usr/lib64", "/opt/intel/openvino/runtime/lib/intel64"]
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
