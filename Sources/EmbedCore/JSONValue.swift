/// Any JSON value, decoded without a schema: for configuration keys whose contents are
/// checked by hand (nested settings that swift-embed must either understand or refuse) and
/// for request bodies checked field by field, with messages naming the field at fault.
///
/// A number without a fraction that fits an `Int` is `.integer`; any other number is
/// `.number`, so "an integer token id" and "a number" stay distinguishable.
public enum JSONValue: Sendable, Equatable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        if var container = try? decoder.unkeyedContainer() {
            var array: [JSONValue] = []
            if let count = container.count { array.reserveCapacity(count) }
            while !container.isAtEnd { array.append(try container.decode(JSONValue.self)) }
            self = .array(array)
        } else if let container = try? decoder.container(keyedBy: AnyCodingKey.self) {
            var object: [String: JSONValue] = [:]
            for key in container.allKeys { object[key.stringValue] = try container.decode(JSONValue.self, forKey: key) }
            self = .object(object)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else if let integer = try? container.decode(Int.self) {
                self = .integer(integer)
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

    /// The value as a number, whether it was written as an integer or not; `nil` otherwise.
    public var double: Double? {
        switch self {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
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

    /// The JSON type's name with its article, for messages ("a string", "an array").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Compact JSON-like text, for messages.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let integer): String(integer)
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let string): "\"\(string)\""
        case .array(let array): "[" + array.map(\.description).joined(separator: ", ") + "]"
        case .object(let object):
            "{" + object.keys.sorted().map { "\"\($0)\": \(object[$0]?.description ?? "null")" }.joined(separator: ", ") + "}"
        }
    }
}
