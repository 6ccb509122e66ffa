import Synchronization

/// An in-memory least-recently-used cache of vectors, bounded in entries and in bytes, for
/// online requests (see ``BatchPolicy/online``).
///
/// Keys carry everything that changes a vector: the model, the input and the options that
/// act before `dimensions` (truncation, its direction, normalisation). Vectors are stored at
/// full size; `dimensions` is applied on the way out. Safe to use from any thread.
public final class EmbeddingCache: Sendable {
    /// The bounds of a cache; zero in either turns caching off.
    public struct Configuration: Sendable, Equatable {
        /// The most vectors kept.
        public var maxEntries: Int
        /// The most bytes kept, counting vectors, the keys' text or ids and a fixed overhead per entry.
        public var maxBytes: Int

        /// Creates bounds (default: 10,000 vectors, 64 MiB).
        public init(maxEntries: Int = 10_000, maxBytes: Int = 64 << 20) {
            self.maxEntries = maxEntries
            self.maxBytes = maxBytes
        }

        /// Whether anything is cached at all.
        public var isEnabled: Bool { maxEntries > 0 && maxBytes > 0 }

        /// Checks the values.
        public func validate() throws(EmbedError) {
            guard maxEntries >= 0, maxBytes >= 0 else {
                throw EmbedError(
                    .invalidConfiguration, "cache bounds must not be negative, got \(maxEntries) entries and \(maxBytes) bytes")
            }
        }
    }

    /// What identifies a vector.
    struct Key: Hashable, Sendable {
        var model: String
        var input: EmbeddingInput
        var truncate: Bool
        var truncateLeft: Bool
        var normalize: Bool
        /// The prompt text put before a text input (`nil`: none).
        var prompt: String?
    }

    /// A stored vector and the token count of its input.
    struct Value: Sendable {
        var vector: [Float]
        var tokenCount: Int
    }

    /// How full the cache is.
    public struct Usage: Sendable, Equatable {
        /// The vectors held.
        public var entries: Int
        /// The bytes they are counted for.
        public var bytes: Int
    }

    /// The bytes counted for each entry besides its vector and key contents.
    static let entryOverhead = 96

    let configuration: Configuration
    private let state: Mutex<LRUList<Key, Value>>

    /// Creates an empty cache.
    public init(_ configuration: Configuration) {
        self.configuration = configuration
        state = Mutex(LRUList())
    }

    /// The current size.
    public var usage: Usage {
        state.withLock { Usage(entries: $0.count, bytes: $0.bytes) }
    }

    func value(for key: Key) -> Value? {
        guard configuration.isEnabled else { return nil }
        return state.withLock { $0.value(for: key) }
    }

    func insert(_ value: Value, for key: Key) {
        let size = Self.size(of: key, value)
        guard configuration.isEnabled, size <= configuration.maxBytes else { return }
        state.withLock { list in
            list.insert(value, for: key, bytes: size)
            while list.count > configuration.maxEntries || list.bytes > configuration.maxBytes {
                list.removeLeastRecent()
            }
        }
    }

    static func size(of key: Key, _ value: Value) -> Int {
        let input = switch key.input {
        case .text(let text): text.utf8.count
        case .tokenIds(let ids): ids.count * MemoryLayout<Int>.size
        case .image(let data): data.count
        }
        return entryOverhead + key.model.utf8.count + (key.prompt?.utf8.count ?? 0) + input + value.vector.count * MemoryLayout<Float>.size
    }
}
