import Foundation
import NIOCore
import NIOPosix

/// The address the server will listen on, checked before anything else starts: a port in
/// use or a host that is no address of this machine is reported at once, by name, instead
/// of after the model has loaded (with NIO's `bind(descriptor:ptr:bytes:)` message).
enum ListenAddress {
    /// Binds `host:port` and lets it go again; port 0 (any free port) is not checked.
    static func check(host: String, port: Int) async throws(ServerError) {
        guard port != 0 else { return }
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
            try? await channel.close()
        } catch {
            throw ServerError(.invalidConfiguration, "cannot listen on \(host):\(port): \(reason(error))")
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? IOError {
            switch error.errnoCode {
            case EADDRINUSE: return "the address is already in use (another server listens there: stop it, or choose another --port)"
            case EADDRNOTAVAIL: return "that is not an address of this machine (--host)"
            case EACCES: return "permission denied (ports under 1024 need privileges)"
            default: return "errno \(error.errnoCode) (\(error))"
            }
        }
        if error is SocketAddressError.UnknownHost { return "the host name cannot be resolved (--host)" }
        return "\(error)"
    }
}
