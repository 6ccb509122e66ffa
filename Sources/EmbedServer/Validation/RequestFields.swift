import EmbedCore

/// The fields of one JSON request object, read one by one with errors that name the field;
/// a field the route does not know is an error.
struct RequestFields {
    private let values: [String: JSONValue]

    /// Reads `value` as an object with only the `allowed` keys.
    init(_ value: JSONValue, allowed: Set<String>) throws(ServerError) {
        guard case .object(let values) = value else {
            throw ServerError(.invalidRequest, "the request body must be a JSON object, got \(value.typeName)")
        }
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ServerError(
                .invalidRequest,
                "unknown field '\(unknown)'; this route takes \(allowed.sorted().joined(separator: ", "))",
                parameter: unknown)
        }
        self.values = values
    }

    /// The value of `key`, `nil` when absent or null.
    func value(_ key: String) -> JSONValue? {
        guard let value = values[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(ServerError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let string) = value else { throw typeError(key, "a string", value) }
        return string
    }

    func bool(_ key: String) throws(ServerError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let bool) = value else { throw typeError(key, "a boolean", value) }
        return bool
    }

    func integer(_ key: String) throws(ServerError) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .integer(let integer) = value else { throw typeError(key, "an integer", value) }
        return integer
    }

    func typeError(_ key: String, _ expected: String, _ value: JSONValue) -> ServerError {
        ServerError(.invalidRequest, "'\(key)' must be \(expected), got \(value.typeName)", parameter: key)
    }
}
