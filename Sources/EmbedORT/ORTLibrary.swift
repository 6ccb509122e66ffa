import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The ONNX Runtime shared library, loaded at run time with `dlopen`.
///
/// There is no link-time dependency on ONNX Runtime: the library is found by
/// ``ORTLibrary/load(_:)`` in the order documented on ``ORTLibraryConfiguration``, its
/// version is checked, and its C API table is read once. The library is never unloaded.
public final class ORTLibrary: Sendable {
    /// The oldest `OrtApi` version this binding asks for (ONNX Runtime 1.16).
    public static let minimumAPIVersion: UInt32 = 16

    /// The file that was loaded.
    public let path: String
    /// The runtime's own version string, e.g. `1.31.1`.
    public let version: String
    /// The API level the runtime supports (its minor version, as ONNX Runtime numbers them).
    public let apiLevel: Int

    let api: ORTAPI

    private init(path: String, version: String, apiLevel: Int, api: ORTAPI) {
        self.path = path
        self.version = version
        self.apiLevel = apiLevel
        self.api = api
    }

    private static let loaded = Mutex<ORTLibrary?>(nil)

    /// Finds, loads and checks the library once per process; later calls return the same
    /// library. A later configuration that names a location of its own (a path or
    /// `ORT_DYLIB_PATH`) must name that same library: a missing or different file is an
    /// error, never silently replaced by the one already loaded.
    public static func load(_ configuration: ORTLibraryConfiguration = .init()) throws(ORTError) -> ORTLibrary {
        try loaded.withLock { (current: inout ORTLibrary?) throws(ORTError) -> ORTLibrary in
            if let current {
                try checkSame(current, configuration)
                return current
            }
            let library = try search(configuration)
            current = library
            return library
        }
    }

    private static func checkSame(_ current: ORTLibrary, _ configuration: ORTLibraryConfiguration) throws(ORTError) {
        for case .required(let path, let origin) in configuration.candidates() {
            guard FileManager.default.fileExists(atPath: path) else {
                throw ORTError(.libraryNotFound, "\(origin): no ONNX Runtime library at \(path): the file does not exist")
            }
            let wanted = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let loadedFile = URL(fileURLWithPath: current.path).resolvingSymlinksInPath().path
            guard wanted == loadedFile else {
                throw ORTError(
                    .incompatibleLibrary,
                    "\(origin): this process already uses ONNX Runtime \(current.version) from \(current.path); "
                        + "one runtime library can be loaded per process")
            }
            return
        }
    }

    /// The library loaded by ``load(_:)``, if any.
    public static var current: ORTLibrary? { loaded.withLock { $0 } }

    /// Opens and checks the library at exactly `path`, without searching and without
    /// making it the process-wide library.
    public static func open(at path: String) throws(ORTError) -> ORTLibrary {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ORTError(.libraryNotFound, "no ONNX Runtime library at \(path): the file does not exist")
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw ORTError(.incompatibleLibrary, "cannot load \(path): \(lastDynamicLoaderError())")
        }
        // From here on the handle is intentionally never closed: sessions and the
        // environment point into the library for the rest of the process.
        return try check(handle: handle, path: path)
    }

    private static func check(handle: UnsafeMutableRawPointer, path: String) throws(ORTError) -> ORTLibrary {
        typealias GetAPIBase = @convention(c) () -> UnsafeRawPointer?
        typealias GetAPI = @convention(c) (UInt32) -> UnsafeRawPointer?
        typealias GetVersionString = @convention(c) () -> UnsafePointer<CChar>?

        guard let symbol = dlsym(handle, "OrtGetApiBase") else {
            throw ORTError(.incompatibleLibrary, "\(path) is not an ONNX Runtime library: it has no OrtGetApiBase symbol")
        }
        let getAPIBase = unsafeBitCast(symbol, to: GetAPIBase.self)
        guard let base = getAPIBase() else {
            throw ORTError(.incompatibleLibrary, "\(path): OrtGetApiBase() returned nothing")
        }
        // struct OrtApiBase { GetApi; GetVersionString; }
        let entries = base.assumingMemoryBound(to: UnsafeRawPointer?.self)
        guard let getAPIPointer = entries[0], let versionPointer = entries[1] else {
            throw ORTError(.incompatibleLibrary, "\(path): OrtApiBase is incomplete")
        }
        let getVersion = unsafeBitCast(versionPointer, to: GetVersionString.self)
        let version = getVersion().map { String(cString: $0) } ?? "unknown"
        let parsed = ORTVersion(version)
        let apiLevel = parsed.map { $0.major == 1 ? $0.minor : Int(minimumAPIVersion) } ?? 0

        // Asking for a version the runtime does not have makes it print to stderr, so
        // compare the version number first.
        if let parsed, parsed.major < 1 || (parsed.major == 1 && parsed.minor < Int(minimumAPIVersion)) {
            throw ORTError(
                .incompatibleLibrary,
                "ONNX Runtime \(version) at \(path) is too old: swift-embed needs 1.\(minimumAPIVersion).0 or newer "
                    + "(API level \(minimumAPIVersion)). \(installHint)")
        }
        let getAPI = unsafeBitCast(getAPIPointer, to: GetAPI.self)
        guard let table = getAPI(minimumAPIVersion) else {
            throw ORTError(
                .incompatibleLibrary,
                "ONNX Runtime \(version) at \(path) does not provide API level \(minimumAPIVersion). \(installHint)")
        }
        let coreML = dlsym(handle, "OrtSessionOptionsAppendExecutionProvider_CoreML")
        return ORTLibrary(path: path, version: version, apiLevel: apiLevel, api: try ORTAPI(table: table, coreMLLegacy: coreML))
    }

    static func search(_ configuration: ORTLibraryConfiguration) throws(ORTError) -> ORTLibrary {
        var attempts: [String] = []
        for candidate in configuration.candidates() {
            switch candidate {
            case .required(let path, let origin):
                // A location the user named is used or reported, never skipped.
                do {
                    return try open(at: path)
                } catch {
                    throw ORTError(error.code, "\(origin): \(error.message)")
                }
            case .file(let path):
                guard FileManager.default.fileExists(atPath: path) else {
                    attempts.append("\(path) (not found)")
                    continue
                }
                return try open(at: path)
            case .loaderName(let name):
                guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                    attempts.append("\(name) through the system loader (\(lastDynamicLoaderError()))")
                    continue
                }
                return try check(handle: handle, path: loadedPath(of: handle, fallback: name))
            case .skipped(let reason):
                attempts.append(reason)
            }
        }
        throw ORTError(
            .libraryNotFound,
            "ONNX Runtime library not found. Looked in:\n"
                + attempts.map { "  - \($0)" }.joined(separator: "\n") + "\n" + installHint)
    }

    static let installHint = """
        To install it: run `make setup` in the swift-embed checkout (it installs the onnxruntime wheel \
        into .cache/ and links its library into .cache/onnxruntime/lib), or `pip install onnxruntime` and set \
        ORT_DYLIB_PATH to the libonnxruntime file inside the wheel's onnxruntime/capi folder.
        """

    private static func lastDynamicLoaderError() -> String {
        dlerror().map { String(cString: $0) } ?? "unknown dynamic loader error"
    }

    /// The file the system loader picked, read from the process's memory map where the
    /// platform has one.
    private static func loadedPath(of handle: UnsafeMutableRawPointer, fallback: String) -> String {
        #if os(Linux)
        // /proc files report size 0: read until the end rather than by size.
        if let handle = FileHandle(forReadingAtPath: "/proc/self/maps"),
            case let maps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self),
            let line = maps.split(separator: "\n").first(where: { $0.contains("/libonnxruntime.") }),
            let start = line.firstIndex(of: "/")
        {
            return String(line[start...])
        }
        #endif
        return fallback
    }
}

/// A parsed `major.minor.patch` version string.
struct ORTVersion: Equatable {
    var major: Int
    var minor: Int
    var patch: Int

    init?(_ string: String) {
        let parts = string.split(separator: ".").map { Int($0.prefix { $0.isNumber }) }
        guard parts.count >= 2, let major = parts[0], let minor = parts[1] else { return nil }
        self.major = major
        self.minor = minor
        self.patch = parts.count > 2 ? (parts[2] ?? 0) : 0
    }
}
