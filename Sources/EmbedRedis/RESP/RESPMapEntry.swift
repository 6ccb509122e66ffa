/// One key and value of a RESP3 map (or attribute).
public struct RESPMapEntry: Sendable, Equatable {
    /// The key.
    public var key: RESPValue
    /// The value.
    public var value: RESPValue

    /// Creates an entry.
    public init(key: RESPValue, value: RESPValue) {
        self.key = key
        self.value = value
    }
}
