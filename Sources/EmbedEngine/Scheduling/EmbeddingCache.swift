import Synchronization

/// An in-memory least-recently-used cache of vectors, bounded in entries and in bytes.
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
    }

    /// What identifies a vector.
    struct Key: Hashable, Sendable {
        var model: String
        var input: EmbeddingInput
        var truncate: Bool
        var truncateLeft: Bool
        var normalize: Bool
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
        }
        return entryOverhead + key.model.utf8.count + input + value.vector.count * MemoryLayout<Float>.size
    }
}

/// A dictionary with a recency order: nodes in an array linked by index, so that lookups,
/// inserts and evictions are O(1) and nothing is allocated per access.
struct LRUList<Key: Hashable, Value> {
    private struct Node {
        var key: Key
        var value: Value
        var bytes: Int
        var newer: Int?
        var older: Int?
    }

    private var nodes: [Node?] = []
    private var free: [Int] = []
    private var index: [Key: Int] = [:]
    private var newest: Int?
    private var oldest: Int?
    private(set) var bytes = 0

    var count: Int { index.count }

    mutating func value(for key: Key) -> Value? {
        guard let slot = index[key], let node = nodes[slot] else { return nil }
        moveToFront(slot)
        return node.value
    }

    mutating func insert(_ value: Value, for key: Key, bytes size: Int) {
        if let slot = index[key] {
            bytes += size - (nodes[slot]?.bytes ?? 0)
            nodes[slot]?.value = value
            nodes[slot]?.bytes = size
            moveToFront(slot)
            return
        }
        let node = Node(key: key, value: value, bytes: size, newer: nil, older: newest)
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
            nodes[slot] = node
        } else {
            slot = nodes.count
            nodes.append(node)
        }
        if let newest { nodes[newest]?.newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
        index[key] = slot
        bytes += size
    }

    mutating func removeLeastRecent() {
        guard let slot = oldest, let node = nodes[slot] else { return }
        unlink(slot)
        index[node.key] = nil
        bytes -= node.bytes
        nodes[slot] = nil
        free.append(slot)
    }

    private mutating func moveToFront(_ slot: Int) {
        guard newest != slot else { return }
        unlink(slot)
        nodes[slot]?.older = newest
        nodes[slot]?.newer = nil
        if let newest { nodes[newest]?.newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let newer = nodes[slot]?.newer
        let older = nodes[slot]?.older
        if let newer { nodes[newer]?.older = older } else { newest = older }
        if let older { nodes[older]?.newer = newer } else { oldest = newer }
        nodes[slot]?.newer = nil
        nodes[slot]?.older = nil
    }
}
