import Foundation

/// Blocking file work (hashing a whole input, reading and writing parts, merging) on a
/// thread of its own, never on Swift's cooperative pool, whose few threads the engine's
/// callers need.
enum OffPool {
    /// Runs `work` on a new thread and returns its result.
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.name = "embed-file-io"
            thread.start()
        }
    }
}
