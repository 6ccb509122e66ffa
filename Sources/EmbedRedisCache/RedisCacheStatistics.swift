/// Counts since the cache was made, per tier in order (for tests, `embed bench` and logs;
/// the same figures go to the metrics).
public struct RedisCacheStatistics: Sendable, Equatable {
    public struct Tier: Sendable, Equatable {
        public var name: String
        public var hits = 0
        public var misses = 0
        /// Records refused (and deleted).
        public var corrupt = 0
        /// Failed or timed-out calls (the breaker's refusals included).
        public var errors = 0
        /// Entries written (promotions included) and their bytes.
        public var writes = 0
        public var bytesWritten = 0

        public init(name: String) { self.name = name }
    }

    public var tiers: [Tier]
    /// Entries not written because too many were waiting.
    public var writesDropped = 0
    /// Entries waiting to be written now.
    public var pendingWrites = 0

    /// All tiers' hits.
    public var hits: Int { tiers.reduce(0) { $0 + $1.hits } }
}
