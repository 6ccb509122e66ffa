import EmbedCore

extension Fusion {
    /// `[text, image]` of vectors from two models (a text model's and an image model's, of
    /// any sizes): each L2-normalised, concatenated, normalised again, so each half weighs
    /// the same (`1/√2` of the unit vector). all-MiniLM-L6-v2's 384 values and CLIP's 512
    /// make 896. No projection: one learned for a model's own fused size does not fit.
    public static func concatenate(text: [Float], image: [Float]) throws(EmbedError) -> [Float] {
        guard !text.isEmpty, !image.isEmpty else {
            throw EmbedError(.invalidInput, "the text and image vectors have \(text.count) and \(image.count) values; neither may be empty")
        }
        return VectorMath.l2Normalized(VectorMath.l2Normalized(text) + VectorMath.l2Normalized(image))
    }
}

extension Embedder {
    /// ``Fusion/concatenate(text:image:)`` of each pair, on this embedder's own threads (as
    /// ``fuse(_:with:)``): the pairs' vectors may come from this embedder and another.
    public func concatenate(_ pairs: [(text: [Float], image: [Float])]) async throws(EmbedError) -> [[Float]] {
        guard !pairs.isEmpty else { return [] }
        return try await tokenizers.map(count: pairs.count, chunkSize: 64) { (range) throws(EmbedError) -> [[Float]] in
            try range.map { (index) throws(EmbedError) -> [Float] in
                try Fusion.concatenate(text: pairs[index].text, image: pairs[index].image)
            }
        }
    }
}
