public import EmbedEngine
public import Foundation

/// How the server fuses a `{"text", "image"}` pair of `/v1/embeddings` when the request's
/// `fusion` does not say, and the learned projection every fused vector goes through.
public struct ServerFusion: Sendable, Equatable {
    /// The modes under their API names.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// `weight × text + (1 − weight) × image` (``EmbedEngine/Fusion/Mode/average``).
        case mean
        /// `[text, image]` (``EmbedEngine/Fusion/Mode/concatenate``).
        case concat

        /// The library's mode.
        public var engine: Fusion.Mode { self == .mean ? .average : .concatenate }
    }

    /// The default mode; `nil`: none, a pair needs the request's `fusion`.
    public var mode: Mode?
    /// The default text share of `mean`, in [0, 1].
    public var weight: Float
    /// A `.safetensors` linear projection (see ``EmbedEngine/Fusion``) for ``mode``; checked
    /// against the model's dimension when the model is loaded.
    public var projection: URL?

    /// A fusion setting; the default is none.
    public init(mode: Mode? = nil, weight: Float = 0.5, projection: URL? = nil) {
        self.mode = mode
        self.weight = weight
        self.projection = projection
    }

    /// The checks that need no model.
    func validate() throws(ServerError) {
        guard (0...1).contains(weight) else {
            throw ServerError(.invalidConfiguration, "the fusion weight must be between 0 and 1, got \(weight)")
        }
        if let projection, mode == nil {
            throw ServerError(
                .invalidConfiguration,
                "the fusion projection \(projection.lastPathComponent) needs a fusion mode (mean or concat): its input size depends on it")
        }
    }

    /// The fusion with its projection for a model of `dimension` values, `nil` without a
    /// projection; a file whose shape does not fit is an error naming it.
    public func loadProjection(dimension: Int) throws(ServerError) -> Fusion? {
        guard let projection, let mode else { return nil }
        do {
            return try Fusion(mode: mode.engine, dimension: dimension, weight: weight, projection: projection)
        } catch {
            throw ServerError(.invalidConfiguration, "the fusion projection: \(error.message)")
        }
    }
}

/// What one request fuses its pairs with.
struct FusionChoice: Sendable, Equatable {
    var mode: ServerFusion.Mode
    var weight: Float
    /// Whether the server's projection follows.
    var projected: Bool
    /// `fusion.text_model`: the served model that embeds the pairs' texts (``mode`` then
    /// ``ServerFusion/Mode/concat``); `nil`: the request's model embeds both.
    var textModel: String? = nil

    /// How an answer's `model` names it: `+fusion:mean`, `+fusion:mean(weight=0.3)`,
    /// `+fusion:concat`, `+fusion:concat(text=minilm)` (another model's texts), with
    /// `+projection` after a projection.
    var label: String {
        var label = "+fusion:\(mode.rawValue)"
        if mode == .mean, weight != 0.5 { label += "(weight=\(weight))" }
        if let textModel { label += "(text=\(textModel))" }
        if projected { label += "+projection" }
        return label
    }
}
