import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a file, shared with other processes (`flock`), so that two
/// processes never write the same blob. Waiting polls without blocking a thread.
enum FileLock {
    /// Runs `body` while holding the lock at `url` (creating the file if needed); calls
    /// `waiting` once if another process holds it.
    static func withLock<T>(
        _ url: URL, waiting: () -> Void, _ body: () async throws(HubError) -> T
    ) async throws(HubError) -> T {
        let handle = try await acquire(url, waiting: waiting)
        defer {
            _ = flock(handle.fileDescriptor, LOCK_UN)
            try? handle.close()
        }
        return try await body()
    }

    private static func acquire(_ url: URL, waiting: () -> Void) async throws(HubError) -> FileHandle {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw HubError(.io, "cannot create \(url.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
        // Created only if absent (O_EXCL): FileManager.createFile writes a new file and renames
        // it over the path, so a second process creating "its" lock file at the same moment
        // replaced the first one's, and each then locked a different file (both downloaded).
        do {
            try Data().write(to: url, options: .withoutOverwriting)
        } catch {
            // It exists already (another process made it), or opening it below says why not.
        }
        guard let handle = FileHandle(forUpdatingAtPath: url.path) else {
            throw HubError(.io, "cannot open lock file \(url.path)")
        }
        var announced = false
        while flock(handle.fileDescriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                try? handle.close()
                throw HubError(.io, "cannot lock \(url.path) (errno \(errno))")
            }
            if !announced {
                waiting()
                announced = true
            }
            do {
                try await Task.sleep(for: .milliseconds(100))
            } catch {
                try? handle.close()
                throw HubError(.io, "cancelled while waiting for \(url.path)")
            }
        }
        return handle
    }
}
