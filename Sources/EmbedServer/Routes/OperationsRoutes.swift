import EmbedEngine
import Hummingbird

/// `GET /health` (one short embedding, checked) and `GET /metrics` (Prometheus text, when
/// the executable provides a renderer).
struct OperationsRoutes: Sendable {
    let hosts: ModelHosts
    let metrics: (@Sendable () -> String)?

    func register(on router: Router<ServerRequestContext>, table: RouteTable) {
        table.add(.get, "/health", on: router) { _, _ in try await health() }
        // TEI's health route for the Inference API (SageMaker's /ping is not served).
        table.add(.get, "/", on: router) { _, _ in try await health() }
        table.add(.get, "/metrics", on: router) { _, _ in
            guard let metrics else { throw ServerError(.notFound, "metrics are not enabled on this server") }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics())))
        }
    }

    /// Healthy when every model is loaded and embeds a short text; the first that is not
    /// makes the 503 (named when the server has several). The dimension and norm are the
    /// default model's.
    private func health() async throws -> Response {
        var first: HealthReport?
        for entry in hosts.entries {
            let prefix = hosts.isMultiModel ? "model '\(entry.name ?? "")': " : ""
            let embedder: Embedder
            do {
                embedder = try entry.host.embedder().embedder
            } catch {
                return try unavailable(prefix + error.message)
            }
            let report: HealthReport
            do {
                report = try await embedder.checkHealth()
            } catch {
                return try unavailable(prefix + error.message)
            }
            if first == nil { first = report }
        }
        return try JSONResponse.make(HealthBody(status: "ok", dimension: first?.dimension, norm: first?.norm))
    }

    private func unavailable(_ reason: String) throws -> Response {
        try JSONResponse.make(HealthBody(status: "unavailable", reason: reason), status: .serviceUnavailable)
    }
}
