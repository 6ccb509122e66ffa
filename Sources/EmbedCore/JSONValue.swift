/// Any JSON value, for configuration keys whose contents are checked by hand (nested
/// settings that swift-embed must either understand or refuse).
public enum JSONValue: Sendable, Equatable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyCodingKey.self) {
            var object: [String: JSONValue] = [:]
            for key in container.allKeys { object[key.stringValue] = try container.decode(JSONValue.self, forKey: key) }
            self = .object(object)
        } else if var container = try? decoder.unkeyedContainer() {
            var array: [JSONValue] = []
            while !container.isAtEnd { array.append(try container.decode(JSONValue.self)) }
            self = .array(array)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }

    /// The value as an object, `nil` otherwise.
    public var object: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The value as a string, `nil` otherwise.
    public var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// Whether the value is `null`, an empty object or an empty array.
    public var isEmpty: Bool {
        switch self {
        case .null: true
        case .object(let object): object.isEmpty
        case .array(let array): array.isEmpty
        default: false
        }
    }

    /// Compact JSON-like text, for messages.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let string): "\"\(string)\""
        case .array(let array): "[" + array.map(\.description).joined(separator: ", ") + "]"
        case .object(let object):
            "{" + object.keys.sorted().map { "\"\($0)\": \(object[$0]?.description ?? "null")" }.joined(separator: ", ") + "}"
        }
    }
}
