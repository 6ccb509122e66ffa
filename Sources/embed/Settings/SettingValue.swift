import Foundation

/// A raw setting value before it is parsed for its key: from a configuration file, an
/// environment variable or a flag.
enum SettingValue: Equatable {
    case scalar(String)
    case list([String])
    case null

    /// A value given as text (environment, flags): `null`/empty is null, `[a, b]` or `a,b`
    /// is a list when the key takes one.
    static func text(_ text: String, listKey: Bool) -> SettingValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "null" { return .null }
        guard listKey else { return .scalar(trimmed) }
        var body = Substring(trimmed)
        if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        let items = body.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .map { $0.count >= 2 && ($0.hasPrefix("\"") && $0.hasSuffix("\"") || $0.hasPrefix("'") && $0.hasSuffix("'")) ? String($0.dropFirst().dropLast()) : $0 }
        return .list(items.filter { !$0.isEmpty })
    }

    /// How the value reads in messages.
    var display: String {
        switch self {
        case .scalar(let text): "'\(text)'"
        case .list(let items): "[\(items.joined(separator: ", "))]"
        case .null: "null"
        }
    }
}

/// A configuration file's contents: nested maps, lists and scalars, in YAML or JSON.
enum ConfigNode: Decodable, Equatable {
    case scalar(String)
    case list([ConfigNode])
    case map([String: ConfigNode])
    case null

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            var map: [String: ConfigNode] = [:]
            for key in container.allKeys { map[key.stringValue] = try container.decode(ConfigNode.self, forKey: key) }
            self = .map(map)
        } else if var container = try? decoder.unkeyedContainer() {
            var list: [ConfigNode] = []
            while !container.isAtEnd { list.append(try container.decode(ConfigNode.self)) }
            self = .list(list)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let text = try? container.decode(String.self) {
                self = .scalar(text)
            } else if let flag = try? container.decode(Bool.self) {
                self = .scalar(flag ? "true" : "false")
            } else if let number = try? container.decode(Int.self) {
                self = .scalar(String(number))
            } else {
                self = .scalar(String(try container.decode(Double.self)))
            }
        }
    }

    /// The settings this node holds, keyed by dotted name (`onnx.providers`), in a stable
    /// order. Nested maps and dotted keys may be mixed.
    func flattened(prefix: String = "") throws(SettingsError) -> [(key: String, value: SettingValue)] {
        switch self {
        case .map(let map):
            var result: [(key: String, value: SettingValue)] = []
            for key in map.keys.sorted() {
                guard let node = map[key] else { continue }
                result += try node.flattened(prefix: prefix.isEmpty ? key : prefix + "." + key)
            }
            return result
        case .scalar(let text):
            return [(prefix, .scalar(text))]
        case .null:
            return [(prefix, .null)]
        case .list(let items):
            var values: [String] = []
            for item in items {
                guard case .scalar(let text) = item else {
                    throw SettingsError("\(prefix.isEmpty ? "the file" : prefix): expected a list of plain values")
                }
                values.append(text)
            }
            return [(prefix, .list(values))]
        }
    }
}

/// A configuration error: names the key, the value, where it came from and what is allowed.
struct SettingsError: Error, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
