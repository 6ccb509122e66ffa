import EmbedTestSupport
import Foundation
import Testing

@testable import EmbedORT

struct LibraryLoadingTests {
    @Test func versionStringsParse() {
        #expect(ORTVersion("1.31.1") == ORTVersion("1.31.1"))
        #expect(ORTVersion("1.31.1")?.minor == 31)
        #expect(ORTVersion("1.16.0-dev")?.minor == 16)
        #expect(ORTVersion("garbage") == nil)
    }

    @Test func searchOrderPutsExplicitLocationsFirst() {
        let configuration = ORTLibraryConfiguration(path: "/nonexistent/a.so", environment: ["ORT_DYLIB_PATH": "/nonexistent/b.so"])
        let candidates = configuration.candidates()
        #expect(candidates.first == .required(path: "/nonexistent/a.so", origin: "configured library path /nonexistent/a.so"))
        #expect(candidates.dropFirst().first == .required(path: "/nonexistent/b.so", origin: "ORT_DYLIB_PATH=/nonexistent/b.so"))
        let projectIndex = candidates.firstIndex {
            if case .file(let path) = $0 { return path.contains(ORTLibraryConfiguration.projectLibraryFolder) }
            return false
        }
        let loaderIndex = candidates.firstIndex { if case .loaderName = $0 { return true } else { return false } }
        #expect(projectIndex != nil && loaderIndex != nil && projectIndex! < loaderIndex!)
    }

    @Test func configuredPathThatDoesNotExistIsAnError() {
        let configuration = ORTLibraryConfiguration(path: "/nonexistent/libonnxruntime.so", environment: [:])
        do {
            _ = try ORTLibrary.search(configuration)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .libraryNotFound)
            #expect(error.message.contains("configured library path /nonexistent/libonnxruntime.so"))
        }
    }

    @Test func environmentVariableThatDoesNotExistIsAnError() {
        let configuration = ORTLibraryConfiguration(environment: ["ORT_DYLIB_PATH": "/nonexistent/ort"])
        do {
            _ = try ORTLibrary.search(configuration)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("ORT_DYLIB_PATH=/nonexistent/ort"))
        }
    }

    @Test func nothingFoundListsWhereItLookedAndHowToInstall() {
        let configuration = ORTLibraryConfiguration(environment: [:], searchDefaultLocations: false)
        do {
            _ = try ORTLibrary.search(configuration)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .libraryNotFound)
            #expect(error.message.contains("ORT_DYLIB_PATH (not set)"))
            #expect(error.message.contains("make setup"))
            #expect(error.message.contains("pip install onnxruntime"))
        }
    }

    @Test func aFileThatIsNotALibraryIsRejected() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = folder.appendingPathComponent("libonnxruntime.so")
        try Data("not a library".utf8).write(to: fake)
        #expect(throws: ORTError.self) { try ORTLibrary.open(at: fake.path) }
        // A folder is searched for the library inside it.
        #expect(ORTLibraryConfiguration.resolve(folder.path) == fake.path)
    }

    #if os(Linux)
    @Test func aSharedLibraryThatIsNotONNXRuntimeIsRejected() throws {
        // Any library already mapped into this process will do: take libc's path.
        // /proc files report size 0: read until the end rather than by size.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let maps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        let line = try #require(maps.split(separator: "\n").first { $0.contains("/libc.so") })
        let path = String(line[line.firstIndex(of: "/")!...])
        do {
            _ = try ORTLibrary.open(at: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .incompatibleLibrary)
            #expect(error.message.contains("no OrtGetApiBase symbol"))
        }
    }
    #endif
}
