/// The declared type of a model input or output: its name, element type and partial shape.
public struct OVPortInfo: Sendable, Equatable, CustomStringConvertible {
    /// The tensor name (one of the port's names; for ONNX models, the graph's input or output name).
    public var name: String
    /// The element type.
    public var elementType: OVElementType
    /// The shape, with dynamic dimensions where the model has them.
    public var shape: OVPartialShape

    /// Creates a description.
    public init(name: String, elementType: OVElementType, shape: OVPartialShape) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
    }

    /// For example `input_ids: i64[?, ?]`.
    public var description: String { "\(name): \(elementType)\(shape)" }
}

extension OVPortInfo {
    /// Which side of a model a port is on.
    enum Side: String {
        case input, output
    }

    /// Reads every port of one side through `count` and `port(index, out)`, freeing each port.
    static func readAll(
        api: OVAPI, side: Side, of subject: String,
        count: (UnsafeMutablePointer<Int>) -> OVAPI.Status,
        port: (Int, OVAPI.Out) -> OVAPI.Status
    ) throws(OVError) -> [OVPortInfo] {
        var total = 0
        try api.check(count(&total), "counting the \(side.rawValue)s of \(subject)")
        var result: [OVPortInfo] = []
        for index in 0..<total {
            let handle = try api.make("reading \(side.rawValue) #\(index) of \(subject)") { port(index, $0) }
            defer { api.constPortFree(handle) }
            result.append(try OVPortInfo(port: handle, index: index, side: side, api: api, of: subject))
        }
        return result
    }

    private init(port: OpaquePointer, index: Int, side: Side, api: OVAPI, of subject: String) throws(OVError) {
        let label = "\(side.rawValue) #\(index) of \(subject)"
        // A port without a tensor name makes OpenVINO throw; such a port is named by its index.
        let name = (try? api.string("reading the name of \(label)") { api.portGetAnyName(port, $0) }) ?? ""
        var rawType: UInt32 = 0
        try api.check(api.portGetElementType(port, &rawType), "reading the element type of \(label)")
        let shape = try OVPartialShape(port: port, api: api, for: "\(side.rawValue) '\(name)' of \(subject)")
        self.init(name: name.isEmpty ? "#\(index)" : name, elementType: OVElementType(raw: rawType), shape: shape)
    }
}
