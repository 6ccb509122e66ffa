import EmbedCore

extension Decoder {
    /// Fails when the object being decoded has a key outside `known`: an option this
    /// implementation does not know could change the result, so it is never ignored.
    func rejectUnknownKeys(_ known: Set<String>, in component: String) throws {
        let unknown = try unknownKeys(known)
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

/// The error for a component type that is not implemented.
func unsupported(_ kind: String, _ type: String, supported: [String]) -> TokenizerError {
    TokenizerError(
        .unsupportedComponent,
        "\(kind) type '\(type)' is not supported yet (supported: \(supported.joined(separator: ", ")))")
}
