import EmbedCore

/// The fields of one JSON request object, read one by one with errors that name the field;
/// a field the route does not know is an error.
struct RequestFields {
    private let values: [String: JSONValue]
    /// Where the object is in the body (`parameters`), `nil` for the body itself.
    private let path: String?

    /// Reads `value` as an object with only the `allowed` keys; `path` names a nested object
    /// (`parameters`) in messages.
    init(_ value: JSONValue, allowed: Set<String>, path: String? = nil) throws(ServerError) {
        guard case .object(let values) = value else {
            let subject = path.map { "'\($0)'" } ?? "the request body"
            throw ServerError(.invalidRequest, "\(subject) must be a JSON object, got \(value.typeName)", parameter: path)
        }
        self.path = path
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            let name = path.map { "\($0).\(unknown)" } ?? unknown
            throw ServerError(
                .invalidRequest,
                "unknown field '\(name)'; \(path.map { "'\($0)' takes" } ?? "this route takes") "
                    + allowed.sorted().joined(separator: ", "),
                parameter: name)
        }
        self.values = values
    }

    /// The full name of `key` for messages (`parameters.truncate`).
    func name(_ key: String) -> String { path.map { "\($0).\(key)" } ?? key }

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

    /// A JSON number (an integer too).
    func number(_ key: String) throws(ServerError) -> Double? {
        guard let value = value(key) else { return nil }
        switch value {
        case .integer(let integer): return Double(integer)
        case .number(let number): return number
        default: throw typeError(key, "a number", value)
        }
    }

    func typeError(_ key: String, _ expected: String, _ value: JSONValue) -> ServerError {
        ServerError(.invalidRequest, "'\(name(key))' must be \(expected), got \(value.typeName)", parameter: name(key))
    }
}
