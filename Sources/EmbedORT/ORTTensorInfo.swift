/// Element types of ONNX tensors (`ONNXTensorElementDataType`), by their C values.
public enum ORTElementType: Int32, Sendable, CustomStringConvertible {
    case undefined = 0
    case float = 1
    case uint8 = 2
    case int8 = 3
    case uint16 = 4
    case int16 = 5
    case int32 = 6
    case int64 = 7
    case string = 8
    case bool = 9
    case float16 = 10
    case double = 11
    case uint32 = 12
    case uint64 = 13
    case complex64 = 14
    case complex128 = 15
    case bfloat16 = 16
    /// A type this binding does not name (newer float8 / int4 types).
    case other = -1

    init(raw: Int32) { self = ORTElementType(rawValue: raw) ?? .other }

    /// The ONNX name of the type (`float`, `int64`, …).
    public var description: String {
        switch self {
        case .undefined: "undefined"
        case .float: "float"
        case .uint8: "uint8"
        case .int8: "int8"
        case .uint16: "uint16"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .string: "string"
        case .bool: "bool"
        case .float16: "float16"
        case .double: "double"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .complex64: "complex64"
        case .complex128: "complex128"
        case .bfloat16: "bfloat16"
        case .other: "other"
        }
    }
}

/// What kind of value an input or output holds (`ONNXType`).
public enum ORTValueKind: Int32, Sendable {
    case unknown = 0
    case tensor = 1
    case sequence = 2
    case map = 3
    case opaque = 4
    case sparseTensor = 5
    case optional = 6
}

/// The declared type of a model input or output.
public struct ORTTensorInfo: Sendable, Equatable, CustomStringConvertible {
    /// The input or output name.
    public var name: String
    /// Tensor, sequence, map…
    public var kind: ORTValueKind
    /// The element type (for tensors).
    public var elementType: ORTElementType
    /// The shape; `-1` marks a dynamic dimension.
    public var shape: [Int]
    /// The names of symbolic dimensions (`batch_size`, `sequence_length`), `""` where fixed.
    public var symbolicShape: [String]

    /// Creates a description.
    public init(name: String, kind: ORTValueKind, elementType: ORTElementType, shape: [Int], symbolicShape: [String]) {
        self.name = name
        self.kind = kind
        self.elementType = elementType
        self.shape = shape
        self.symbolicShape = symbolicShape
    }

    /// For example `input_ids: int64[batch_size, sequence_length]`.
    public var description: String {
        let dims = zip(shape, symbolicShape).map { size, symbol in
            size >= 0 ? String(size) : (symbol.isEmpty ? "?" : symbol)
        }
        return "\(name): \(elementType)[\(dims.joined(separator: ", "))]"
    }
}
