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
