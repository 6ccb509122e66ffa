import EmbedEngine
import EmbedCore
import Metrics

/// Metrics of the server itself, through swift-metrics.
enum ServerMetrics {
    /// `swift_embed_model_load_seconds{model}`: how long loading each model took, by served name.
    static func recordModelLoad(_ duration: Duration, model: String) {
        let seconds = duration.inSeconds
        Gauge(label: "swift_embed_model_load_seconds", dimensions: [("model", model)]).record(seconds)
    }

    /// `swift_embed_model_inputs_total{model, modality}`: the inputs each served model
    /// embedded, by modality (`text`, `tokens` for token ids, `image`); the engine's own
    /// metrics (queue, inference, batches) are the whole process's.
    static func recordInputs(_ inputs: [EmbeddingInput], indices: [Int], model: String) {
        var counts: [String: Int] = [:]
        for index in indices {
            let modality =
                switch inputs[index] {
                case .text: "text"
                case .tokenIds: "tokens"
                case .image: "image"
                }
            counts[modality, default: 0] += 1
        }
        for (modality, count) in counts {
            Counter(label: "swift_embed_model_inputs_total", dimensions: [("model", model), ("modality", modality)]).increment(by: count)
        }
    }
}
