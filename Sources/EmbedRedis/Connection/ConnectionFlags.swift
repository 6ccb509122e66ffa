import Synchronization

/// State of a connection shared between its event loop and the tasks that use it.
final class ConnectionFlags: Sendable {
    private let broken = Atomic<Bool>(false)

    /// Marks the connection as unusable (set before any command on it is failed, so the
    /// task that sees the failure also sees the flag).
    func markBroken() {
        broken.store(true, ordering: .releasing)
    }

    /// Whether the connection failed, timed out or was closed.
    var isBroken: Bool {
        broken.load(ordering: .acquiring)
    }
}
