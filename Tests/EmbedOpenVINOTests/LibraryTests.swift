import Foundation
import Testing

@testable import EmbedOpenVINO

@Suite struct LibraryConfigurationTests {
    @Test func parsesBuildNumbers() {
        #expect(OVVersion(parsing: "2026.4.1-22982-e213a147257-releases/2026/4") == OVVersion(2026, 4, 1))
        #expect(OVVersion(parsing: "2025.0") == OVVersion(2025, 0, 0))
        #expect(OVVersion(parsing: "custom build") == nil)
        #expect(OVVersion(2026, 3, 9) < OVLibrary.minimumVersion)
        #expect(OVVersion(2026, 4, 0) >= OVLibrary.minimumVersion)
    }

    @Test func searchesConfiguredPathThenEnvironmentThenProjectThenSystem() {
        let configuration = OVLibraryConfiguration(
            path: "/opt/ov/libopenvino_c.so", environment: ["OPENVINO_LIB_PATH": "/env/libopenvino_c.so"])
        let candidates = configuration.candidates()
        #expect(candidates.first == .required(path: "/opt/ov/libopenvino_c.so", origin: "configured library path /opt/ov/libopenvino_c.so"))
        #expect(candidates.dropFirst().first == .required(path: "/env/libopenvino_c.so", origin: "OPENVINO_LIB_PATH=/env/libopenvino_c.so"))
        let projectFile = FileManager.default.currentDirectoryPath + "/.cache/openvino/lib/" + OVLibraryConfiguration.libraryFileName
        #expect(candidates.contains(.file(projectFile)))
        #expect(candidates.contains(.loaderName(OVLibraryConfiguration.libraryFileName)))
        let loaderIndex = candidates.firstIndex(of: .loaderName(OVLibraryConfiguration.libraryFileName))
        let projectIndex = candidates.firstIndex(of: .file(projectFile))
        #expect((projectIndex ?? .max) < (loaderIndex ?? -1), "the project folder is searched before the system")
    }

    @Test func noDefaultLocationsMeansOnlyExplicitOnes() {
        let candidates = OVLibraryConfiguration(environment: [:], searchDefaultLocations: false).candidates()
        #expect(candidates == [.skipped("OPENVINO_LIB_PATH (not set)")])
    }

    @Test func folderResolvesToTheLibraryInside() throws {
        let folder = try OVTestRuntime.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let versioned = folder.appendingPathComponent("libopenvino_c.so.2641")
        try Data().write(to: versioned)
        #expect(OVLibraryConfiguration.resolve(folder.path) == versioned.path)
    }
}

@Suite(.enabled(if: OVTestRuntime.isAvailable, "needs OpenVINO: run scripts/install-openvino.sh or set OPENVINO_LIB_PATH"))
struct LibraryLoadingTests {
    @Test func loadsOnceAndReportsItsVersion() throws {
        let library = try OVLibrary.load()
        #expect(library.version >= OVLibrary.minimumVersion)
        #expect(library.buildNumber.hasPrefix(library.version.description))
        #expect(library.runtimeDescription.contains("OpenVINO"))
        #expect(try OVLibrary.load() === library)
        #expect(OVLibrary.current === library)
    }

    @Test func aMissingExplicitLibraryIsAnErrorNamingIt() throws {
        _ = try OVLibrary.load()
        let error = #expect(throws: OVError.self) {
            try OVLibrary.load(OVLibraryConfiguration(path: "/nonexistent/libopenvino_c.so"))
        }
        #expect(error?.code == .libraryNotFound)
        #expect(error?.message.contains("/nonexistent/libopenvino_c.so") == true)
    }

    @Test func anotherLibraryThanTheLoadedOneIsRefused() throws {
        _ = try OVLibrary.load()
        let folder = try OVTestRuntime.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let other = folder.appendingPathComponent(OVLibraryConfiguration.libraryFileName)
        try Data("not a library".utf8).write(to: other)
        let error = #expect(throws: OVError.self) {
            try OVLibrary.load(OVLibraryConfiguration(environment: ["OPENVINO_LIB_PATH": folder.path]))
        }
        #expect(error?.code == .incompatibleLibrary)
        #expect(error?.message.contains("OPENVINO_LIB_PATH=") == true)
    }

    @Test func searchWithNothingToFindListsThePlacesSearched() {
        let error = #expect(throws: OVError.self) {
            try OVLibrary.search(OVLibraryConfiguration(environment: [:], searchDefaultLocations: false))
        }
        #expect(error?.code == .libraryNotFound)
        #expect(error?.message.contains("OPENVINO_LIB_PATH (not set)") == true)
        #expect(error?.message.contains("install-openvino.sh") == true)
    }

    @Test func aFileThatIsNotALibraryIsIncompatible() throws {
        let folder = try OVTestRuntime.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bogus = folder.appendingPathComponent(OVLibraryConfiguration.libraryFileName)
        try Data("not a library".utf8).write(to: bogus)
        let error = #expect(throws: OVError.self) {
            try OVLibrary.search(OVLibraryConfiguration(path: bogus.path, environment: [:], searchDefaultLocations: false))
        }
        #expect(error?.code == .incompatibleLibrary)
        #expect(error?.message.contains(bogus.path) == true)
    }
}
