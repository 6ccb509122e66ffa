/// An input tensor: a shape and the values, in row-major order.
///
/// When a session runs, ONNX Runtime reads the values in place (no copy): the tensor is
/// created over this value's own storage and lives only for the duration of the run.
public struct ORTTensor: Sendable, Equatable {
    /// The values of a tensor, by element type.
    public enum Storage: Sendable, Equatable {
        case int64([Int64])
        case int32([Int32])
        case float([Float])
    }

    /// The dimensions.
    public let shape: [Int]
    /// The values.
    public let storage: Storage

    /// Creates a tensor, checking that `shape` describes exactly as many elements as `storage` holds.
    public init(shape: [Int], storage: Storage) throws(ORTError) {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw ORTError(.invalidArgument, "tensor shape \(shape) has a negative dimension")
        }
        let (expected, overflow) = shape.reduce((1, false)) { partial, dimension in
            let product = partial.0.multipliedReportingOverflow(by: dimension)
            return (product.partialValue, partial.1 || product.overflow)
        }
        let count = storage.count
        guard !overflow, expected == count else {
            throw ORTError(.invalidArgument, "tensor shape \(shape) needs \(expected) values, got \(count)")
        }
        self.shape = shape
        self.storage = storage
    }

    /// An `int64` tensor.
    public static func int64(_ values: [Int64], shape: [Int]) throws(ORTError) -> ORTTensor {
        try ORTTensor(shape: shape, storage: .int64(values))
    }

    /// An `int32` tensor.
    public static func int32(_ values: [Int32], shape: [Int]) throws(ORTError) -> ORTTensor {
        try ORTTensor(shape: shape, storage: .int32(values))
    }

    /// A `float` tensor.
    public static func float(_ values: [Float], shape: [Int]) throws(ORTError) -> ORTTensor {
        try ORTTensor(shape: shape, storage: .float(values))
    }

    /// The element type of the values.
    public var elementType: ORTElementType {
        switch storage {
        case .int64: .int64
        case .int32: .int32
        case .float: .float
        }
    }
}

extension ORTTensor.Storage {
    /// The number of values.
    public var count: Int {
        switch self {
        case .int64(let values): values.count
        case .int32(let values): values.count
        case .float(let values): values.count
        }
    }

    /// Calls `body` with the raw bytes of the values, which stay valid only inside `body`.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ORTError) -> R) throws(ORTError) -> R {
        do {
            switch self {
            case .int64(let values): return try values.withUnsafeBytes { try body($0) }
            case .int32(let values): return try values.withUnsafeBytes { try body($0) }
            case .float(let values): return try values.withUnsafeBytes { try body($0) }
            }
        } catch let error as ORTError {
            throw error
        } catch {
            throw ORTError(.invalidArgument, "\(error)")
        }
    }
}
