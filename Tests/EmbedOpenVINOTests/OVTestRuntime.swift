import EmbedOpenVINO
import Foundation
import Logging

/// Access to OpenVINO, the fixtures and the real model for the tests.
///
/// A plain `swift test` on a machine without `scripts/install-openvino.sh` skips the tests
/// that need OpenVINO (Swift Testing reports them as skipped, with the reason). With
/// `EMBED_REQUIRE_RUNTIME=1` (what `make test` sets) those tests always run: a missing
/// library fails them instead.
enum OVTestRuntime {
    /// Whether tests must not be skipped for want of set-up (`EMBED_REQUIRE_RUNTIME=1`).
    static let isRequired = ProcessInfo.processInfo.environment["EMBED_REQUIRE_RUNTIME"] == "1"

    /// The library, when one can be found.
    static let library: OVLibrary? = try? OVLibrary.load()

    /// Whether tests that need OpenVINO should run.
    static var isAvailable: Bool { isRequired || library != nil }

    /// A logger for tests: warnings and above.
    static let logger: Logger = {
        var logger = Logger(label: "swift-embed.tests.openvino")
        logger.logLevel = .warning
        return logger
    }()

    /// One core shared by the tests (its error carries the library search report when missing).
    static let sharedCore: Result<OVCore, OVError> = {
        do throws(OVError) {
            return .success(try OVCore(library: OVLibrary.load(), logger: logger))
        } catch {
            return .failure(error)
        }
    }()

    /// The shared core, or the error that explains why there is none.
    static func core() throws(OVError) -> OVCore { try sharedCore.get() }

    /// The root of the package checkout.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // EmbedOpenVINOTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// A committed fixture under `Tests/Fixtures`.
    static func fixture(_ relativePath: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relativePath).path
    }

    /// The git-ignored set-up folder (`.cache`, or `EMBED_SETUP_DIR`).
    static var cache: URL {
        if let custom = ProcessInfo.processInfo.environment["EMBED_SETUP_DIR"], !custom.isEmpty {
            return URL(fileURLWithPath: custom)
        }
        return repositoryRoot.appendingPathComponent(".cache")
    }

    /// The real all-MiniLM-L6-v2 ONNX export made by the project's set-up.
    static var realModel: String { cache.appendingPathComponent("models/all-MiniLM-L6-v2/onnx/model.onnx").path }

    /// Whether the tests on the real model should run.
    static var isRealModelAvailable: Bool {
        isRequired || (library != nil && FileManager.default.fileExists(atPath: realModel))
    }

    /// A new empty temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-embed-ov-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
