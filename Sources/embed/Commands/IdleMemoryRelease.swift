import EmbedEngine
import EmbedServer
import ServiceLifecycle

/// Every few seconds, gives the heap's free memory back once the server has gone quiet
/// (``EmbedEngine/Embedder/releaseFreeMemoryIfIdle()``); stops at graceful shutdown without
/// ending the group (the server drains on its own).
struct IdleMemoryRelease: Service {
    let hosts: ModelHosts
    var interval: Duration = .seconds(2)

    func run() async throws {
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            for entry in hosts.entries {
                if case .ready(let embedder, _) = entry.host.current { await embedder.releaseFreeMemoryIfIdle() }
            }
        }
    }
}
