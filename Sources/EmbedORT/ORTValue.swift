/// An output of a model run: a tensor that ONNX Runtime allocated.
///
/// The value owns its `OrtValue` and releases it when the last reference goes away. Its
/// data can be read in place through ``withFloats(_:)`` (no copy for `float` outputs) or
/// copied out with ``floats()``.
public final class ORTValue: @unchecked Sendable {
    // @unchecked: the handle is owned by this object alone and the tensor is never written
    // after `Run` returns, so concurrent reads are safe.

    /// The output name.
    public let name: String
    /// The element type of the tensor.
    public let elementType: ORTElementType
    /// The actual shape of this tensor.
    public let shape: [Int]

    private let handle: OpaquePointer
    private let session: ORTSession  // keeps the session (and its allocator) alive

    init(handle: OpaquePointer, name: String, session: ORTSession) throws(ORTError) {
        self.handle = handle
        self.session = session
        self.name = name
        let api = session.api
        do throws(ORTError) {
            var kind: Int32 = 0
            try api.check(api.getValueType(handle, &kind), "GetValueType(\(name))")
            guard ORTValueKind(rawValue: kind) == .tensor else {
                throw ORTError(.typeMismatch, "output '\(name)' is not a tensor (ONNX type \(kind))")
            }
            let info = try api.make("GetTensorTypeAndShape(\(name))") { api.getTensorTypeAndShape(handle, $0) }
            defer { api.releaseTensorTypeAndShapeInfo(info) }
            (elementType, shape, _) = try session.readTensorInfo(info, name: name)
        } catch {
            api.releaseValue(handle)
            throw error
        }
    }

    deinit {
        session.api.releaseValue(handle)
    }

    /// The number of elements (the product of the shape).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Calls `body` with the tensor's values as `Float`s. `float` tensors are read in place;
    /// `float16` and `double` tensors are converted first.
    public func withFloats<R>(_ body: (Span<Float>) throws -> R) throws -> R {
        let count = elementCount
        let data = try dataPointer()
        switch elementType {
        case .float:
            let buffer = UnsafeBufferPointer(start: data?.assumingMemoryBound(to: Float.self), count: count)
            return try body(buffer.span)
        case .float16, .double:
            let converted = try floats()
            return try body(converted.span)
        default:
            throw ORTError(.typeMismatch, "output '\(name)' holds \(elementType) values, not floating-point values")
        }
    }

    /// Copies the values out as `Float`s (`float`, `float16` and `double` tensors).
    public func floats() throws(ORTError) -> [Float] {
        let count = elementCount
        let data = try dataPointer()
        switch elementType {
        case .float:
            return Array(UnsafeBufferPointer(start: data?.assumingMemoryBound(to: Float.self), count: count))
        case .double:
            return UnsafeBufferPointer(start: data?.assumingMemoryBound(to: Double.self), count: count).map { Float($0) }
        case .float16:
            #if arch(x86_64) || arch(arm64)
            return UnsafeBufferPointer(start: data?.assumingMemoryBound(to: Float16.self), count: count).map { Float($0) }
            #else
            throw ORTError(.typeMismatch, "float16 outputs are not supported on this architecture")
            #endif
        default:
            throw ORTError(.typeMismatch, "output '\(name)' holds \(elementType) values, not floating-point values")
        }
    }

    /// Copies the values out as `Int64`s (`int64` tensors only).
    public func int64s() throws(ORTError) -> [Int64] {
        guard elementType == .int64 else {
            throw ORTError(.typeMismatch, "output '\(name)' holds \(elementType) values, not int64")
        }
        let data = try dataPointer()
        return Array(UnsafeBufferPointer(start: data?.assumingMemoryBound(to: Int64.self), count: elementCount))
    }

    private func dataPointer() throws(ORTError) -> UnsafeMutableRawPointer? {
        guard elementCount > 0 else { return nil }
        let api = session.api
        var data: UnsafeMutableRawPointer?
        try api.check(api.getTensorMutableData(handle, &data), "GetTensorMutableData(\(name))")
        return data
    }
}
