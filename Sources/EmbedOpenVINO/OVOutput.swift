/// An output of an inference, copied out of OpenVINO's tensor into Swift memory.
public struct OVOutput: Sendable, Equatable {
    /// The output name.
    public let name: String
    /// The actual shape of this result (dynamic dimensions resolved).
    public let shape: [Int]
    /// The element type of the tensor OpenVINO returned (`f32` for the models we run,
    /// whatever the inference precision: bf16 is an internal precision).
    public let elementType: OVElementType
    /// The values as `Float`s, in row-major order (`f16`, `bf16` and `f64` converted).
    public let values: [Float]

    /// Creates an output.
    public init(name: String, shape: [Int], elementType: OVElementType, values: [Float]) {
        self.name = name
        self.shape = shape
        self.elementType = elementType
        self.values = values
    }
}

extension OVOutput {
    /// Copies the tensor's data out as `Float`s.
    init(name: String, tensor: OVNativeTensor) throws(OVError) {
        let subject = "output '\(name)'"
        let type = try tensor.elementType(for: subject)
        let shape = try tensor.shape(for: subject)
        let bytes = try tensor.bytes(for: subject)
        let count = shape.reduce(1, *)
        guard let width = type.byteWidth, bytes.count == count * width else {
            throw OVError(
                .typeMismatch, "\(subject) holds \(type) values (\(bytes.count) bytes for shape \(shape)), not floating-point values")
        }
        let values: [Float]
        switch type {
        case .f32:
            values = Array(bytes.assumingMemoryBound(to: Float.self))
        case .f64:
            values = bytes.assumingMemoryBound(to: Double.self).map { Float($0) }
        case .bf16:
            // bf16 is the upper half of an IEEE float32.
            values = bytes.assumingMemoryBound(to: UInt16.self).map { Float(bitPattern: UInt32($0) << 16) }
        case .f16:
            #if arch(x86_64) || arch(arm64)
            values = bytes.assumingMemoryBound(to: Float16.self).map { Float($0) }
            #else
            throw OVError(.typeMismatch, "\(subject): f16 outputs are not supported on this architecture")
            #endif
        default:
            throw OVError(.typeMismatch, "\(subject) holds \(type) values, not floating-point values")
        }
        self.init(name: name, shape: shape, elementType: type, values: values)
    }
}
