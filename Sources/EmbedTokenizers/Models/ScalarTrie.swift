/// A trie over Unicode scalar values mapping strings to token ids, for longest-prefix
/// lookups without building substrings.
struct ScalarTrie: Sendable {
    /// Edges, keyed by `node << 21 | scalar` (scalar values need 21 bits).
    private var edges = IntegerTable()
    /// The token id stored at each node, or -1.
    private var values: [Int32] = [-1]

    static let root: Int32 = 0

    init() {}

    /// Inserts `key` with `value`.
    mutating func insert(_ key: some Sequence<Unicode.Scalar>, value: Int32) {
        insert(key.lazy.map(\.value), value: value)
    }

    /// Inserts `key` (scalar values) with `value`.
    mutating func insert(_ key: some Sequence<UInt32>, value: Int32) {
        var node = Self.root
        for scalar in key {
            let edge = Self.edge(node, scalar)
            if let next = edges[edge] {
                node = Int32(truncatingIfNeeded: next)
            } else {
                let next = Int32(values.count)
                values.append(-1)
                edges.set(edge, UInt64(next))
                node = next
            }
        }
        values[Int(node)] = value
    }

    /// The node reached from `node` by `scalar`, if any.
    @inline(__always)
    func child(_ node: Int32, _ scalar: UInt32) -> Int32? {
        edges[Self.edge(node, scalar)].map { Int32(truncatingIfNeeded: $0) }
    }

    /// The node reached from the root by all of `key`, if any.
    func node(for key: some Sequence<Unicode.Scalar>) -> Int32? {
        node(for: key.lazy.map(\.value))
    }

    /// The node reached from the root by all of `key` (scalar values), if any.
    func node(for key: some Sequence<UInt32>) -> Int32? {
        var node = Self.root
        for scalar in key {
            guard let next = child(node, scalar) else { return nil }
            node = next
        }
        return node
    }

    /// The value stored at `node` (-1 when none).
    @inline(__always)
    func value(_ node: Int32) -> Int32 { values[Int(node)] }

    @inline(__always)
    private static func edge(_ node: Int32, _ scalar: UInt32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 21 | UInt64(scalar)
    }
}
