/// A coding key for any string, used to list the keys a JSON object really has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        stringValue = string
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// Fails when the object being decoded has a key outside `known`: an option this
    /// implementation does not know could change the result, so it is never ignored.
    func rejectUnknownKeys(_ known: Set<String>, in component: String) throws {
        let container = try container(keyedBy: AnyCodingKey.self)
        let unknown = container.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw TokenizerError(
                .unknownKey,
                "\(component) has unknown key\(unknown.count > 1 ? "s" : "") \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
                    + "known keys: \(known.sorted().joined(separator: ", "))")
        }
    }

    /// The `type` field of a component.
    func componentType(_ kind: String) throws -> String {
        let container = try container(keyedBy: AnyCodingKey.self)
        guard let type = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("type")) else {
            throw TokenizerError(.invalidFormat, "\(kind) has no 'type' field")
        }
        return type
    }
}

extension KeyedDecodingContainer where Key == AnyCodingKey {
    func value<T: Decodable>(_ type: T.Type = T.self, _ key: String) throws -> T {
        try decode(T.self, forKey: AnyCodingKey(key))
    }

    func optional<T: Decodable>(_ type: T.Type = T.self, _ key: String) throws -> T? {
        try decodeIfPresent(T.self, forKey: AnyCodingKey(key))
    }
}

/// The error for a component type that is not implemented.
func unsupported(_ kind: String, _ type: String, supported: [String]) -> TokenizerError {
    TokenizerError(
        .unsupportedComponent,
        "\(kind) type '\(type)' is not supported yet (supported: \(supported.joined(separator: ", ")))")
}
