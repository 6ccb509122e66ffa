import EmbedCore

/// The result of a health check: one short embedding through the whole pipeline.
public struct HealthReport: Sendable, Equatable {
    /// The size of the vector made.
    public var dimension: Int
    /// Its L2 norm.
    public var norm: Float
    /// How long the check took.
    public var duration: Duration
}

extension Embedder {
    /// The text embedded by ``checkHealth()``.
    public static let healthCheckText = "swift-embed health check"

    /// Embeds one short text (an image for a vision-only model) through the online queue (not the cache, not counted against the
    /// request limit) and checks the vector: the model's dimension, finite values, unit norm
    /// when the model normalises (tolerance 1e-3), otherwise a positive norm. Throws
    /// ``EmbedError/Code/unavailable`` while draining and ``EmbedError/Code/runtime`` naming
    /// what is wrong.
    public func checkHealth() async throws(EmbedError) -> HealthReport {
        let start = ContinuousClock.now
        try admit(limit: nil)
        defer { release() }
        // A model without a text tower (vision only) embeds a small grey image instead.
        let input: EmbeddingInput = model.text == nil && model.vision != nil ? .image(VisionTower.probeImage) : .text(Self.healthCheckText)
        let result = try await compute([input], options: .init(), policy: .online, useCache: false)
        guard let vector = result.embeddings.first else {
            throw EmbedError(.runtime, "the health check returned no vector")
        }
        let norm = VectorMath.norm(vector)
        let dimension = info.dimension
        guard vector.count == dimension else {
            throw EmbedError(.runtime, "the health check vector has \(vector.count) values, expected \(dimension)")
        }
        guard vector.allSatisfy(\.isFinite) else {
            throw EmbedError(.runtime, "the health check vector has values that are not finite")
        }
        if info.normalize {
            guard abs(norm - 1) <= 1e-3 else {
                throw EmbedError(.runtime, "the health check vector has norm \(norm), expected 1 (tolerance 1e-3)")
            }
        } else {
            guard norm > 0 else { throw EmbedError(.runtime, "the health check vector is all zeros") }
        }
        return HealthReport(dimension: vector.count, norm: norm, duration: start.duration(to: .now))
    }
}
