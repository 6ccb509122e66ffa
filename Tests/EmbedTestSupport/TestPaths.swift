public import Foundation

/// Where the tests find their fixtures and the files `make setup` prepares.
public enum TestPaths {
    /// The root of the swift-embed checkout.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // EmbedTestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// A committed fixture under `Tests/Fixtures`.
    public static func fixture(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relativePath)
    }

    /// The git-ignored folder `make setup` fills (`.cache`, or `EMBED_SETUP_DIR`).
    public static var cache: URL {
        if let custom = ProcessInfo.processInfo.environment["EMBED_SETUP_DIR"], !custom.isEmpty {
            return URL(fileURLWithPath: custom)
        }
        return repositoryRoot.appendingPathComponent(".cache")
    }

    /// A new empty temporary folder.
    public static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("swift-embed-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
