import EmbedCore
public import Foundation

/// How the text and the image of one item (a product's title and photo) become one vector:
/// both embedded by their towers and L2-normalised, then concatenated or averaged, then
/// (optionally) through a learned linear projection, then normalised again.
public struct Fusion: Sendable {
    /// How the two normalised vectors are combined.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// `[text, image]`: twice the model's dimension.
        case concatenate
        /// `weight × text + (1 − weight) × image` (`(text + image) / 2` at the default 0.5):
        /// the model's dimension.
        case average
    }

    /// The combination.
    public let mode: Mode
    /// With ``Mode/average``, the text's share, in [0, 1] (the image's is `1 − weight`).
    public let weight: Float
    /// The learned projection, `nil`: none.
    let projection: DenseLayer?

    /// A fusion of vectors of `dimension` values. `projection` is a `.safetensors` file with a
    /// float tensor `weight` `[out, in]` (PyTorch's `nn.Linear` layout; `in` is the fused
    /// size) and an optional `bias` `[out]`; a fused vector of 768 values comes from a
    /// `[768, in]` matrix. `weight` (the text's share with ``Mode/average``) must be in [0, 1].
    public init(mode: Mode, dimension: Int, weight: Float = 0.5, projection url: URL? = nil) throws(EmbedError) {
        guard (0...1).contains(weight) else {
            throw EmbedError(.invalidConfiguration, "the fusion weight must be between 0 and 1, got \(weight)")
        }
        self.mode = mode
        self.weight = weight
        let fused = mode == .concatenate ? 2 * dimension : dimension
        guard let url else {
            projection = nil
            return
        }
        let file = try Safetensors(contentsOf: url)
        let (shape, weight) = try file.floats("weight")
        guard shape.count == 2, shape[1] == fused, shape[0] >= 1 else {
            throw EmbedError(
                .invalidConfiguration,
                "\(url.lastPathComponent): weight has shape \(shape), expected [out, \(fused)] for \(mode) fusion of \(dimension)-value vectors")
        }
        var bias: [Float] = []
        if file.entries["bias"] != nil {
            let (biasShape, values) = try file.floats("bias")
            guard biasShape == [shape[0]] else {
                throw EmbedError(.invalidConfiguration, "\(url.lastPathComponent): bias has shape \(biasShape), expected [\(shape[0])]")
            }
            bias = values
        }
        if let unknown = file.entries.keys.filter({ $0 != "weight" && $0 != "bias" }).sorted().first {
            throw EmbedError(.invalidConfiguration, "\(url.lastPathComponent): unknown tensor '\(unknown)' (a projection has weight and bias)")
        }
        do {
            projection = try DenseLayer(
                configuration: DenseConfiguration(inFeatures: fused, outFeatures: shape[0], bias: !bias.isEmpty, activation: .identity),
                weight: weight, bias: bias)
        } catch {
            throw EmbedError(.invalidConfiguration, "\(url.lastPathComponent): \(error.message)", underlying: error)
        }
    }

    private init(mode: Mode, weight: Float, projection: DenseLayer?) {
        self.mode = mode
        self.weight = weight
        self.projection = projection
    }

    /// The same fusion (and projection) with the text's share `weight`, in [0, 1].
    public func weighted(_ weight: Float) throws(EmbedError) -> Fusion {
        guard (0...1).contains(weight) else {
            throw EmbedError(.invalidConfiguration, "the fusion weight must be between 0 and 1, got \(weight)")
        }
        return Fusion(mode: mode, weight: weight, projection: projection)
    }

    /// Whether a learned projection follows the combination.
    public var hasProjection: Bool { projection != nil }

    /// The size of the vectors it returns.
    public func outputDimension(for dimension: Int) -> Int {
        projection?.configuration.outFeatures ?? (mode == .concatenate ? 2 * dimension : dimension)
    }

    /// One item's vector from its text's and its image's (normalised here first).
    public func fuse(text: [Float], image: [Float]) throws(EmbedError) -> [Float] {
        guard text.count == image.count else {
            throw EmbedError(.invalidInput, "the text and image vectors have \(text.count) and \(image.count) values")
        }
        let (t, i) = (VectorMath.l2Normalized(text), VectorMath.l2Normalized(image))
        var fused = mode == .concatenate ? t + i : zip(t, i).map { weight * $0 + (1 - weight) * $1 }
        if let projection {
            do {
                fused = try projection.apply(fused)
            } catch {
                throw EmbedError(.invalidConfiguration, "the fusion projection: \(error.message)", underlying: error)
            }
        }
        return VectorMath.l2Normalized(fused)
    }
}

extension Embedder {
    /// One vector per item of `items` (a text and an image each): the texts and images
    /// embedded in one call (one pipeline, batched by tower), then fused by `fusion`. An
    /// error about an input names its place in that call: item k's text is input 2k, its
    /// image input 2k + 1.
    public func embedFused(
        _ items: [(text: String, image: Data)], fusion: Fusion, options: EmbeddingOptions = .init()
    ) async throws(EmbedError) -> [[Float]] {
        let inputs = items.flatMap { [EmbeddingInput.text($0.text), .image($0.image)] }
        let vectors = try await embed(inputs, options: options).embeddings
        return try await fuse((0..<items.count).map { (vectors[2 * $0], vectors[2 * $0 + 1]) }, with: fusion)
    }

    /// `fusion` of each pair's text and image vectors, on the engine's own threads (a
    /// projection is a matrix product per pair: not work for Swift's cooperative pool).
    public func fuse(_ pairs: [(text: [Float], image: [Float])], with fusion: Fusion) async throws(EmbedError) -> [[Float]] {
        guard !pairs.isEmpty else { return [] }
        return try await tokenizers.map(count: pairs.count, chunkSize: 64) { (range) throws(EmbedError) -> [[Float]] in
            try range.map { (index) throws(EmbedError) -> [Float] in try fusion.fuse(text: pairs[index].text, image: pairs[index].image) }
        }
    }
}
