import EmbedEngine
import Hummingbird

/// `GET /health` (one short embedding, checked) and `GET /metrics` (Prometheus text, when
/// the executable provides a renderer).
struct OperationsRoutes: Sendable {
    let host: ModelHost
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

    private func health() async throws -> Response {
        let embedder: Embedder
        do {
            embedder = try host.embedder().embedder
        } catch {
            return try JSONResponse.make(HealthBody(status: "unavailable", reason: error.message), status: .serviceUnavailable)
        }
        let report: HealthReport
        do {
            report = try await embedder.checkHealth()
        } catch {
            return try JSONResponse.make(HealthBody(status: "unavailable", reason: error.message), status: .serviceUnavailable)
        }
        return try JSONResponse.make(HealthBody(status: "ok", dimension: report.dimension, norm: report.norm))
    }
}
