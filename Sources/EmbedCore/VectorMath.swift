/// Vector operations used on embeddings.
public enum VectorMath {
    /// The smallest norm divided by, as in `torch.nn.functional.normalize` (`eps = 1e-12`).
    public static let normalizationEpsilon: Float = 1e-12

    /// The Euclidean norm, accumulated in `Double`.
    public static func norm(_ vector: [Float]) -> Float {
        Float(vector.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
    }

    /// Scales `vector` to unit length (`v / max(‖v‖, 1e-12)`); a zero vector stays zero.
    public static func l2Normalize(_ vector: inout [Float]) {
        let scale = 1 / Swift.max(norm(vector), normalizationEpsilon)
        for index in vector.indices { vector[index] *= scale }
    }

    /// A unit-length copy of `vector`.
    public static func l2Normalized(_ vector: [Float]) -> [Float] {
        var copy = vector
        l2Normalize(&copy)
        return copy
    }

    /// The dot product, accumulated in `Double`.
    public static func dot(_ a: [Float], _ b: [Float]) throws(EmbedCoreError) -> Float {
        guard a.count == b.count else {
            throw EmbedCoreError(.shapeMismatch, "vectors of different sizes: \(a.count) and \(b.count)")
        }
        var sum = 0.0
        for index in a.indices { sum += Double(a[index]) * Double(b[index]) }
        return Float(sum)
    }

    /// The cosine similarity; 0 when either vector is zero.
    public static func cosine(_ a: [Float], _ b: [Float]) throws(EmbedCoreError) -> Float {
        let denominator = norm(a) * norm(b)
        return denominator > 0 ? try dot(a, b) / denominator : 0
    }

    /// Matryoshka truncation: keeps the first `dimensions` values (at least one, at most all)
    /// and, when asked, re-normalises them. Callers check `dimensions` against the model once.
    public static func truncated(_ vector: [Float], to dimensions: Int, normalize: Bool) -> [Float] {
        var prefix = Array(vector.prefix(Swift.max(dimensions, 1)))
        if normalize { l2Normalize(&prefix) }
        return prefix
    }
}
