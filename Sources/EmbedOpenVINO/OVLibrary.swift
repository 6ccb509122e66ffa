import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenVINO's C library (`libopenvino_c`), loaded at run time with `dlopen`.
///
/// There is no link-time dependency on OpenVINO: the library is found by
/// ``OVLibrary/load(_:)`` in the order documented on ``OVLibraryConfiguration``, its
/// version is checked against ``minimumVersion``, and every function this package calls is
/// resolved once with `dlsym`. The library is loaded once per process and never unloaded.
public final class OVLibrary: Sendable {
    /// The oldest OpenVINO this binding accepts: 2026.4 is the first release with the
    /// non-variadic property functions (`ov_core_compile_model_props`,
    /// `ov_core_set_properties`) that the binding needs, since Swift cannot call C
    /// variadic functions.
    public static let minimumVersion = OVVersion(2026, 4, 0)

    /// The file that was loaded.
    public let path: String
    /// The release, e.g. `2026.4.1`.
    public let version: OVVersion
    /// The full build number, e.g. `2026.4.1-22982-e213a147257-releases/2026/4`.
    public let buildNumber: String
    /// OpenVINO's description of itself (`OpenVINO Runtime`).
    public let runtimeDescription: String

    let api: OVAPI

    private init(path: String, version: OVVersion, buildNumber: String, runtimeDescription: String, api: OVAPI) {
        self.path = path
        self.version = version
        self.buildNumber = buildNumber
        self.runtimeDescription = runtimeDescription
        self.api = api
    }

    private static let loaded = Mutex<OVLibrary?>(nil)

    /// Finds, loads and checks the library once per process; later calls return the same
    /// library. A later configuration that names a location of its own (a path or
    /// `OPENVINO_LIB_PATH`) must name that same library: a missing or different file is an
    /// error, never silently replaced by the one already loaded.
    public static func load(_ configuration: OVLibraryConfiguration = .init()) throws(OVError) -> OVLibrary {
        try loaded.withLock { (current: inout OVLibrary?) throws(OVError) -> OVLibrary in
            if let current {
                try checkSame(current, configuration)
                return current
            }
            let library = try search(configuration)
            current = library
            return library
        }
    }

    /// The library loaded by ``load(_:)``, if any.
    public static var current: OVLibrary? { loaded.withLock { $0 } }

    private static func checkSame(_ current: OVLibrary, _ configuration: OVLibraryConfiguration) throws(OVError) {
        for case .required(let path, let origin) in configuration.candidates() {
            guard FileManager.default.fileExists(atPath: path) else {
                throw OVError(.libraryNotFound, "\(origin): no OpenVINO C library at \(path): the file does not exist")
            }
            let wanted = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let loadedFile = URL(fileURLWithPath: current.path).resolvingSymlinksInPath().path
            guard wanted == loadedFile else {
                throw OVError(
                    .incompatibleLibrary,
                    "\(origin): this process already uses OpenVINO \(current.version) from \(current.path); "
                        + "one OpenVINO library can be loaded per process")
            }
            return
        }
    }

    static func search(_ configuration: OVLibraryConfiguration) throws(OVError) -> OVLibrary {
        var attempts: [String] = []
        for candidate in configuration.candidates() {
            switch candidate {
            case .required(let path, let origin):
                // A location the user named is used or reported, never skipped.
                do {
                    return try open(at: path)
                } catch {
                    throw OVError(error.code, "\(origin): \(error.message)")
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
        throw OVError(
            .libraryNotFound,
            "OpenVINO C library (\(OVLibraryConfiguration.libraryFileName)) not found. Looked in:\n"
                + attempts.map { "  - \($0)" }.joined(separator: "\n") + "\n" + installHint)
    }

    /// Opens and checks the library at `path` without making it the process-wide one.
    private static func open(at path: String) throws(OVError) -> OVLibrary {
        guard FileManager.default.fileExists(atPath: path) else {
            throw OVError(.libraryNotFound, "no OpenVINO C library at \(path): the file does not exist")
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw OVError(.incompatibleLibrary, "cannot load \(path): \(lastDynamicLoaderError())")
        }
        // From here on the handle is intentionally never closed: cores, models and
        // requests point into the library (and its plugins) for the rest of the process.
        return try check(handle: handle, path: path)
    }

    private static func check(handle: UnsafeMutableRawPointer, path: String) throws(OVError) -> OVLibrary {
        guard OVCStruct.layoutIsSupported else {
            throw OVError(
                .incompatibleLibrary,
                "the OpenVINO binding needs a 64-bit platform (ov_shape_t is passed as a 16-byte C struct)")
        }
        typealias GetVersion = @convention(c) (UnsafeMutableRawPointer) -> Int32
        typealias FreeVersion = @convention(c) (UnsafeMutableRawPointer) -> Void
        guard let getSymbol = dlsym(handle, "ov_get_openvino_version"), let freeSymbol = dlsym(handle, "ov_version_free")
        else {
            throw OVError(.incompatibleLibrary, "\(path) is not OpenVINO's C library: it has no ov_get_openvino_version")
        }
        // The version is read before the function table exists (an old library must be
        // reported as too old, not as missing a function), so this one status is checked
        // here; every later call goes through OVAPI.check.
        // ov_version_t { const char* buildNumber; const char* description; }
        let versionStruct = OVCStruct(OVCStruct.versionSize)
        let status = unsafeBitCast(getSymbol, to: GetVersion.self)(versionStruct.pointer)
        guard status == 0 else {
            throw OVError(.incompatibleLibrary, "\(path): ov_get_openvino_version failed with status \(status)")
        }
        let buildNumber = versionStruct.string(at: 0) ?? ""
        let description = versionStruct.string(at: OVCStruct.word) ?? ""
        unsafeBitCast(freeSymbol, to: FreeVersion.self)(versionStruct.pointer)

        guard let version = OVVersion(parsing: buildNumber) else {
            throw OVError(.incompatibleLibrary, "\(path): cannot read OpenVINO's version from '\(buildNumber)'")
        }
        // Checked before the other functions are resolved, so that an old library is
        // reported as too old rather than as missing a function.
        guard version >= minimumVersion else {
            throw OVError(
                .incompatibleLibrary,
                "OpenVINO \(version) at \(path) is too old: swift-embed needs \(minimumVersion) or newer. \(installHint)")
        }
        let api = try OVAPI(handle: handle, path: path)
        return OVLibrary(path: path, version: version, buildNumber: buildNumber, runtimeDescription: description, api: api)
    }

    static let installHint = """
        To install it: run `scripts/install-openvino.sh` in the swift-embed checkout (it installs the \
        openvino wheel into .cache/venv and links its CPU libraries into .cache/openvino/lib), or \
        `pip install openvino` and set OPENVINO_LIB_PATH to the wheel's openvino/libs folder.
        """

    /// The file the system loader picked for a bare library name, read from the process's
    /// memory map where the platform has one (Linux).
    private static func loadedPath(of _: UnsafeMutableRawPointer, fallback: String) -> String {
        #if os(Linux)
        // /proc files report size 0: read until the end rather than by size.
        if let file = FileHandle(forReadingAtPath: "/proc/self/maps"),
            case let maps = String(decoding: file.readDataToEndOfFile(), as: UTF8.self),
            let line = maps.split(separator: "\n").first(where: { $0.contains("/libopenvino_c.") }),
            let start = line.firstIndex(of: "/")
        {
            return String(line[start...])
        }
        #endif
        return fallback
    }

    private static func lastDynamicLoaderError() -> String {
        dlerror().map { String(cString: $0) } ?? "unknown dynamic loader error"
    }
}
