public import Foundation

/// A vector cache shared beyond this process (replicas behind a load balancer, say), asked
/// after the in-process ``EmbeddingCache`` and before the model, for online requests only.
///
/// The embedder hands over full-size vectors (before `dimensions`), so one entry serves
/// every `dimensions`. An implementation never throws and never makes a request fail:
/// a fault is a miss. ``store(_:)`` must return at once (write in the background); a
/// request never waits for a cache write. Attach one with ``Embedder/attach(sharedCache:)``.
public protocol SharedEmbeddingCache: Sendable {
    /// One entry or `nil` per key, in order.
    func lookup(_ keys: [SharedCacheKey]) async -> [SharedCacheEntry?]
    /// Remembers `entries` (computed by the model), without waiting.
    func store(_ entries: [(key: SharedCacheKey, entry: SharedCacheEntry)])
}

/// What identifies a vector of one model: the input and every per-request option that
/// acts before `dimensions`. The model itself (files, engine, pooling, maximum length) is
/// the shared cache's to fingerprint when it is made for an embedder.
public struct SharedCacheKey: Sendable, Hashable {
    /// The text, token ids or image bytes.
    public var input: EmbeddingInput
    /// The prompt text put before a text input (`nil`: none).
    public var prompt: String?
    /// Whether an input longer than the maximum length is cut (else refused).
    public var truncate: Bool
    /// Whether it is cut from the left.
    public var truncateLeft: Bool
    /// Whether the vector is L2-normalised.
    public var normalize: Bool

    /// Creates a key.
    public init(input: EmbeddingInput, prompt: String?, truncate: Bool, truncateLeft: Bool, normalize: Bool) {
        self.input = input
        self.prompt = prompt
        self.truncate = truncate
        self.truncateLeft = truncateLeft
        self.normalize = normalize
    }

    /// The options and the input as bytes, unambiguous (every field tagged and
    /// length-prefixed): what a shared cache hashes into its key.
    public var canonicalBytes: Data {
        var data = Data("swift-embed.key.v1".utf8)
        func field(_ tag: UInt8, _ bytes: some Collection<UInt8>) {
            data.append(tag)
            appendLittleEndian(UInt64(bytes.count), to: &data)
            data.append(contentsOf: bytes)
        }
        field(1, [truncate ? 1 : 0, truncateLeft ? 1 : 0, normalize ? 1 : 0])
        if let prompt { field(2, Array(prompt.utf8)) }
        switch input {
        case .text(let text): field(3, Array(text.utf8))
        case .tokenIds(let ids):
            var bytes = Data(capacity: ids.count * 8)
            for id in ids { appendLittleEndian(UInt64(bitPattern: Int64(id)), to: &bytes) }
            field(4, bytes)
        case .image(let image): field(5, image)
        }
        return data
    }
}

private func appendLittleEndian(_ value: UInt64, to data: inout Data) {
    for shift in stride(from: 0, to: 64, by: 8) { data.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
}

/// A cached vector (full size) and the token count of its input.
public struct SharedCacheEntry: Sendable, Equatable {
    public var vector: [Float]
    public var tokenCount: Int

    /// Creates an entry.
    public init(vector: [Float], tokenCount: Int) {
        self.vector = vector
        self.tokenCount = tokenCount
    }
}
