public import EmbedEngine
public import Foundation
import Synchronization

/// What the server serves: nothing while the model loads, then the model's embedder; refuses work once shutdown has begun. Routes ask it for the embedder and get
/// a 503 naming the reason when there is none.
public final class ModelHost: Sendable {
    /// Where the host is in its life.
    public enum Phase: Sendable {
        /// The model is being loaded.
        case loading
        /// Serving.
        case ready(Embedder, loadedAt: Date)
        /// Loading failed (the message says why).
        case failed(String)
    }

    private let phase: Mutex<Phase>
    private let draining = Mutex(false)
    /// The server's fusion with its learned projection, checked against the model at load.
    private let projection = Mutex<Fusion?>(nil)

    /// A host that is still loading.
    public init() {
        phase = Mutex(.loading)
    }

    /// A host that serves `embedder` from the start.
    public init(embedder: Embedder, projection: Fusion? = nil) {
        phase = Mutex(.ready(embedder, loadedAt: Date()))
        self.projection.withLock { $0 = projection }
    }

    /// The current phase.
    public var current: Phase { phase.withLock { $0 } }

    /// Whether shutdown has begun.
    public var isDraining: Bool { draining.withLock { $0 } }

    /// Serves `embedder` from now on.
    public func becomeReady(_ embedder: Embedder, projection: Fusion? = nil) {
        // Before the phase: no request sees the embedder without its projection.
        self.projection.withLock { $0 = projection }
        phase.withLock { $0 = .ready(embedder, loadedAt: Date()) }
    }

    /// Records that loading failed.
    public func fail(_ reason: String) {
        phase.withLock { $0 = .failed(reason) }
    }

    /// Refuses new work from now on; requests already admitted finish (the embedder's drain
    /// waits for them).
    public func beginDraining() {
        draining.withLock { $0 = true }
    }

    /// The server's fusion with its projection, `nil` when it has none.
    var fusionProjection: Fusion? { projection.withLock { $0 } }

    /// The embedder, or a 503 that says why there is none.
    func embedder() throws(ServerError) -> (embedder: Embedder, loadedAt: Date) {
        guard !isDraining else { throw ServerError(.unavailable, "the server is shutting down") }
        switch current {
        case .loading: throw ServerError(.unavailable, "the model is still loading")
        case .failed(let reason): throw ServerError(.unavailable, "the model failed to load: \(reason)")
        case .ready(let embedder, let loadedAt): return (embedder, loadedAt)
        }
    }
}
