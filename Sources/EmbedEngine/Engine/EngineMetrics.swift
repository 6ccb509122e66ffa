import EmbedCore
import Metrics
import Synchronization

/// The engine's metrics, through swift-metrics (whatever backend the executable bootstraps).
///
/// Names: `swift_embed_queue_seconds` and `swift_embed_inference_seconds` (timers),
/// `swift_embed_batch_size` and `swift_embed_batch_padded_tokens` (histograms),
/// `swift_embed_tokens_total` and `swift_embed_padding_tokens_total` (counters),
/// `swift_embed_queue_depth`, `swift_embed_inflight_requests` (gauges),
/// `swift_embed_dropped_requests_total` (requests whose client went away) and the cache's
/// `swift_embed_cache_hits_total`, `swift_embed_cache_misses_total`,
/// `swift_embed_cache_hit_ratio`, `swift_embed_cache_entries`, `swift_embed_cache_bytes`.
final class EngineMetrics: Sendable {
    static let batchSize = "swift_embed_batch_size"
    static let batchPaddedTokens = "swift_embed_batch_padded_tokens"

    let queueTime = Metrics.Timer(label: "swift_embed_queue_seconds")
    let inferenceTime = Metrics.Timer(label: "swift_embed_inference_seconds")
    let batchSize = Recorder(label: EngineMetrics.batchSize)
    let batchPaddedTokens = Recorder(label: EngineMetrics.batchPaddedTokens)
    let tokens = Counter(label: "swift_embed_tokens_total")
    let paddingTokens = Counter(label: "swift_embed_padding_tokens_total")
    let queueDepth = Gauge(label: "swift_embed_queue_depth")
    let droppedRequests = Counter(label: "swift_embed_dropped_requests_total")
    let inFlight = Gauge(label: "swift_embed_inflight_requests")
    let cacheHits = Counter(label: "swift_embed_cache_hits_total")
    let cacheMisses = Counter(label: "swift_embed_cache_misses_total")
    let cacheHitRatio = Gauge(label: "swift_embed_cache_hit_ratio")
    let cacheEntries = Gauge(label: "swift_embed_cache_entries")
    let cacheBytes = Gauge(label: "swift_embed_cache_bytes")
    private let cacheTotals = Mutex((hits: 0, lookups: 0))

    func recordBatch(lengths: [Int], tokens counts: [Int], time: Duration) {
        let padded = BatchFormer.paddedTokens(lengths)
        let real = lengths.reduce(0, +)
        inferenceTime.recordNanoseconds(time.inNanoseconds)
        batchSize.record(lengths.count)
        batchPaddedTokens.record(padded)
        tokens.increment(by: counts.reduce(0, +))
        paddingTokens.increment(by: padded - real)
    }

    func recordCache(hits: Int, misses: Int, usage: EmbeddingCache.Usage) {
        if hits > 0 { cacheHits.increment(by: hits) }
        if misses > 0 { cacheMisses.increment(by: misses) }
        let totals = cacheTotals.withLock { totals in
            totals.hits += hits
            totals.lookups += hits + misses
            return totals
        }
        if totals.lookups > 0 { cacheHitRatio.record(Double(totals.hits) / Double(totals.lookups)) }
        cacheEntries.record(usage.entries)
        cacheBytes.record(usage.bytes)
    }
}
