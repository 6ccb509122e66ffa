import Foundation

/// The cache laid out like the Hugging Face hub cache, so that files downloaded by the
/// Python tools are reused and ours are usable by them:
///
/// ```
/// <cache>/models--owner--name/blobs/<etag>             file contents (etag: sha256 or git sha1)
/// <cache>/models--owner--name/refs/<revision>          the commit the revision points to
/// <cache>/models--owner--name/snapshots/<commit>/<path> relative symbolic links to blobs
/// <cache>/.locks/models--owner--name/<etag>.lock       one writer per blob across processes
/// ```
struct HubCache: Sendable {
    let root: URL
    let id: ModelID

    var repository: URL { root.appendingPathComponent(id.cacheFolderName) }

    func blob(_ etag: String) -> URL { repository.appendingPathComponent("blobs").appendingPathComponent(etag) }

    func incompleteBlob(_ etag: String) -> URL {
        repository.appendingPathComponent("blobs").appendingPathComponent(etag + ".incomplete")
    }

    func snapshot(_ commit: String) -> URL { repository.appendingPathComponent("snapshots").appendingPathComponent(commit) }

    func lock(_ etag: String) -> URL {
        root.appendingPathComponent(".locks").appendingPathComponent(id.cacheFolderName).appendingPathComponent(etag + ".lock")
    }

    private func ref(_ revision: Revision) -> URL {
        repository.appendingPathComponent("refs").appendingPathComponent(revision.value)
    }

    /// The commit `revision` points to in the cache, if known.
    func commit(for revision: Revision) -> String? {
        if revision.isCommit {
            return FileManager.default.fileExists(atPath: snapshot(revision.value).path) ? revision.value : nil
        }
        guard let text = try? String(contentsOf: ref(revision), encoding: .utf8) else { return nil }
        let commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return (try? Revision(commit))?.isCommit == true ? commit : nil
    }

    /// Records that `revision` points to `commit` (atomically).
    func setCommit(_ commit: String, for revision: Revision) throws(HubError) {
        guard !revision.isCommit else { return }
        let url = ref(revision)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(commit.utf8).write(to: url, options: .atomic)
        } catch {
            throw HubError(.io, "cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Points `snapshots/<commit>/<path>` at `blobs/<etag>` with a relative link.
    func link(_ path: String, commit: String, etag: String) throws(HubError) {
        let file = snapshot(commit).appendingPathComponent(path)
        let depth = path.split(separator: "/").count + 1  // snapshots/<commit>/<path…>
        let target = String(repeating: "../", count: depth) + "blobs/" + etag
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            if (try? manager.destinationOfSymbolicLink(atPath: file.path)) == target { return }
            try? manager.removeItem(at: file)
            try manager.createSymbolicLink(atPath: file.path, withDestinationPath: target)
        } catch {
            throw HubError(.io, "cannot link \(file.path): \(error.localizedDescription)")
        }
    }

    /// Whether the snapshot of `commit` has `path` (following its link to a blob).
    func hasFile(_ path: String, commit: String) -> Bool {
        FileManager.default.fileExists(atPath: snapshot(commit).appendingPathComponent(path).path)
    }
}

/// A path inside a repository, checked so that it stays inside the snapshot folder.
enum RepositoryPath {
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), path.unicodeScalars.allSatisfy({ $0.value >= 0x20 }) else {
            return false
        }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
