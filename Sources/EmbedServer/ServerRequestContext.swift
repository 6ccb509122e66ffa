import Hummingbird
import NIOCore
import Synchronization

/// The request context of the server's routes: Hummingbird's, plus what a handler reports
/// for the request log (inputs and tokens), kept in a box because contexts are passed by value.
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let report = RequestReport()
    /// Whether the client is still connected (always `true` on a channel that was never
    /// active, as in in-process tests).
    let isClientConnected: @Sendable () -> Bool

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let channel = source.channel
        let wasActive = channel.isActive
        isClientConnected = { !wasActive || channel.isActive }
    }
}

/// What a handler did, for the log line of its request.
final class RequestReport: Sendable {
    private let values = Mutex((inputs: 0, tokens: 0))

    func record(inputs: Int, tokens: Int) {
        values.withLock { $0 = (inputs, tokens) }
    }

    var inputs: Int { values.withLock { $0.inputs } }
    var tokens: Int { values.withLock { $0.tokens } }
}
