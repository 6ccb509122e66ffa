import Metrics

/// The shared cache's metrics, per tier (label `tier`), through swift-metrics:
/// `swift_embed_redis_hits_total`, `swift_embed_redis_misses_total`,
/// `swift_embed_redis_errors_total` (label `operation`: `get`, `set`, `del`),
/// `swift_embed_redis_corrupt_total` (records refused and deleted),
/// `swift_embed_redis_bytes_written_total`, `swift_embed_redis_seconds` (a timer, label
/// `operation`), `swift_embed_redis_breaker_state` (0 closed, 1 half-open, 2 open), and
/// `swift_embed_redis_writes_dropped_total` (entries not written: too many waiting).
struct RedisCacheMetrics: Sendable {
    struct Tier: Sendable {
        let hits: Counter
        let misses: Counter
        let corrupt: Counter
        let bytesWritten: Counter
        let getErrors: Counter
        let setErrors: Counter
        let delErrors: Counter
        let getTime: Metrics.Timer
        let setTime: Metrics.Timer
        let breaker: Gauge

        init(_ name: String) {
            let tier = [("tier", name)]
            hits = Counter(label: "swift_embed_redis_hits_total", dimensions: tier)
            misses = Counter(label: "swift_embed_redis_misses_total", dimensions: tier)
            corrupt = Counter(label: "swift_embed_redis_corrupt_total", dimensions: tier)
            bytesWritten = Counter(label: "swift_embed_redis_bytes_written_total", dimensions: tier)
            getErrors = Counter(label: "swift_embed_redis_errors_total", dimensions: tier + [("operation", "get")])
            setErrors = Counter(label: "swift_embed_redis_errors_total", dimensions: tier + [("operation", "set")])
            delErrors = Counter(label: "swift_embed_redis_errors_total", dimensions: tier + [("operation", "del")])
            getTime = Metrics.Timer(label: "swift_embed_redis_seconds", dimensions: tier + [("operation", "get")])
            setTime = Metrics.Timer(label: "swift_embed_redis_seconds", dimensions: tier + [("operation", "set")])
            breaker = Gauge(label: "swift_embed_redis_breaker_state", dimensions: tier)
        }
    }

    let writesDropped = Counter(label: "swift_embed_redis_writes_dropped_total")
}
