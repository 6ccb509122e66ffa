/// An input tensor: a shape and its values in row-major order, held in Swift arrays.
///
/// When an infer request is given the tensor, the values are **copied** into a tensor that
/// OpenVINO allocates (see ``OVInferRequest``), so this value can be dropped or changed at
/// once, and no Swift memory is ever referenced by OpenVINO.
public struct OVTensor: Sendable, Equatable {
    /// The values of a tensor, by element type.
    public enum Storage: Sendable, Equatable {
        /// `i64` values (token ids, masks).
        case int64([Int64])
        /// `i32` values.
        case int32([Int32])
        /// `f32` values.
        case float([Float])
    }

    /// The dimensions.
    public let shape: [Int]
    /// The values.
    public let storage: Storage

    /// Creates a tensor, checking that `shape` describes exactly as many elements as `storage` holds.
    public init(shape: [Int], storage: Storage) throws(OVError) {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw OVError(.invalidArgument, "tensor shape \(shape) has a negative dimension")
        }
        let (expected, overflow) = shape.reduce((1, false)) { partial, dimension in
            let product = partial.0.multipliedReportingOverflow(by: dimension)
            return (product.partialValue, partial.1 || product.overflow)
        }
        guard !overflow, expected == storage.count else {
            throw OVError(.invalidArgument, "tensor shape \(shape) needs \(expected) values, got \(storage.count)")
        }
        self.shape = shape
        self.storage = storage
    }

    /// An `i64` tensor.
    public static func int64(_ values: [Int64], shape: [Int]) throws(OVError) -> OVTensor {
        try OVTensor(shape: shape, storage: .int64(values))
    }

    /// An `i32` tensor.
    public static func int32(_ values: [Int32], shape: [Int]) throws(OVError) -> OVTensor {
        try OVTensor(shape: shape, storage: .int32(values))
    }

    /// An `f32` tensor.
    public static func float(_ values: [Float], shape: [Int]) throws(OVError) -> OVTensor {
        try OVTensor(shape: shape, storage: .float(values))
    }

    /// The element type of the values.
    public var elementType: OVElementType {
        switch storage {
        case .int64: .i64
        case .int32: .i32
        case .float: .f32
        }
    }
}

extension OVTensor.Storage {
    /// The number of values.
    public var count: Int {
        switch self {
        case .int64(let values): values.count
        case .int32(let values): values.count
        case .float(let values): values.count
        }
    }

    /// Calls `body` with the raw bytes of the values, valid only inside `body`.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(OVError) -> R) throws(OVError) -> R {
        switch self {
        case .int64(let values): try values.withUnsafeBufferPointer { (buffer) throws(OVError) in try body(UnsafeRawBufferPointer(buffer)) }
        case .int32(let values): try values.withUnsafeBufferPointer { (buffer) throws(OVError) in try body(UnsafeRawBufferPointer(buffer)) }
        case .float(let values): try values.withUnsafeBufferPointer { (buffer) throws(OVError) in try body(UnsafeRawBufferPointer(buffer)) }
        }
    }
}
