import Crypto
public import Foundation

/// A model repository served by ``FakeHub``: files at one commit, reachable by branch names.
public struct FakeHubRepository: Sendable {
    /// One file with the checksums the hub reports for it.
    public struct File: Sendable {
        public var contents: Data
        /// `true` for files the real hub keeps in LFS (checksum: SHA-256 of the contents).
        public var isLFS: Bool
        /// The git blob id (SHA-1 of `blob <size>\0<contents>`).
        public var blobID: String
        /// The SHA-256 of the contents.
        public var sha256: String
    }

    /// `owner/name`.
    public var id: String
    /// The 40-digit commit every branch points to.
    public var commit: String
    /// Branch or tag names that resolve to ``commit``.
    public var branches: Set<String>
    /// Files by repository path.
    public var files: [String: File]
    /// When set, requests must carry `Authorization: Bearer <token>` (a gated model).
    public var requiredToken: String?

    /// A repository with the files of `folder` (recursively, following symbolic links).
    /// Weights and ONNX files are LFS files, as on the real hub.
    public init(id: String, folder: URL, commit: String? = nil, requiredToken: String? = nil) throws {
        self.id = id
        self.commit = commit ?? Self.randomCommit()
        self.branches = ["main"]
        self.requiredToken = requiredToken
        var files: [String: File] = [:]
        let root = folder.resolvingSymlinksInPath()
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            let resolved = url.resolvingSymlinksInPath()
            guard (try? resolved.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            let contents = try Data(contentsOf: resolved)
            files[path] = Self.file(path, contents: contents)
        }
        self.files = files
    }

    /// The file entry for `contents` at `path`, with its checksums.
    public static func file(_ path: String, contents: Data) -> File {
        let lfs = [".onnx", ".onnx_data", ".safetensors", ".bin", ".pt"].contains { path.hasSuffix($0) }
        var sha1 = Insecure.SHA1()
        sha1.update(data: Data("blob \(contents.count)\0".utf8))
        sha1.update(data: contents)
        return File(
            contents: contents, isLFS: lfs, blobID: hex(sha1.finalize()), sha256: hex(SHA256.hash(data: contents)))
    }

    /// The value the hub's ETag carries, which names the blob in the cache.
    public func etag(_ path: String) -> String? {
        files[path].map { $0.isLFS ? $0.sha256 : $0.blobID }
    }

    static func randomCommit() -> String {
        (0..<20).map { _ in UInt8.random(in: 0...255) }.map { String(format: "%02x", $0) }.joined()
    }
}

private func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}
