import EmbedCore
import Metrics

/// Metrics of the server itself, through swift-metrics.
enum ServerMetrics {
    /// `swift_embed_model_load_seconds`: how long loading the model took.
    static func recordModelLoad(_ duration: Duration) {
        let seconds = duration.inSeconds
        Gauge(label: "swift_embed_model_load_seconds").record(seconds)
    }
}
