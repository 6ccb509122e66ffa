/// A coding key for any string, used to list the keys a JSON object really has.
public struct AnyCodingKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int?

    /// A key for `string`.
    public init(_ string: String) {
        stringValue = string
    }

    public init?(stringValue: String) {
        self.stringValue = stringValue
    }

    public init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// The keys of the object being decoded that are not in `known`, sorted. Strict
    /// configuration types refuse such keys: an option we do not know could change results.
    public func unknownKeys(_ known: Set<String>) throws -> [String] {
        try container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
    }
}

extension KeyedDecodingContainer where Key == AnyCodingKey {
    /// Decodes the value at `key`.
    public func value<T: Decodable>(_ type: T.Type = T.self, _ key: String) throws -> T {
        try decode(T.self, forKey: AnyCodingKey(key))
    }

    /// Decodes the value at `key`, `nil` when absent or null.
    public func optional<T: Decodable>(_ type: T.Type = T.self, _ key: String) throws -> T? {
        try decodeIfPresent(T.self, forKey: AnyCodingKey(key))
    }
}

extension DecodingError {
    /// "at model.vocab: expected Int" style description.
    public var readableDescription: String {
        func path(_ context: Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "top level" : keys.joined(separator: ".")
        }
        switch self {
        case .typeMismatch(let type, let context): return "at \(path(context)): expected \(type). \(context.debugDescription)"
        case .valueNotFound(let type, let context): return "at \(path(context)): missing \(type) value"
        case .keyNotFound(let key, let context): return "at \(path(context)): missing key '\(key.stringValue)'"
        case .dataCorrupted(let context): return "at \(path(context)): \(context.debugDescription)"
        @unknown default: return "\(self)"
        }
    }
}
