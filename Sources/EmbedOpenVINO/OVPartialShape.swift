/// One dimension of a model's declared shape: a fixed size, or a range.
public struct OVDimension: Sendable, Equatable, CustomStringConvertible {
    /// The smallest size (inclusive).
    public var min: Int
    /// The largest size (inclusive); `-1` when there is no upper bound.
    public var max: Int

    /// Creates a dimension from its bounds.
    public init(min: Int, max: Int) {
        self.min = min
        self.max = max
    }

    /// A fixed size.
    public static func fixed(_ size: Int) -> OVDimension { OVDimension(min: size, max: size) }
    /// Any size.
    public static let any = OVDimension(min: 0, max: -1)

    /// Whether the size is fixed.
    public var isStatic: Bool { min == max && min >= 0 }

    /// Whether `size` is within the bounds.
    public func accepts(_ size: Int) -> Bool {
        size >= min && (max < 0 || size <= max)
    }

    /// `4`, `?` (any size) or `1..8`.
    public var description: String {
        if isStatic { return String(min) }
        if min <= 0 && max < 0 { return "?" }
        return "\(min)..\(max < 0 ? "" : String(max))"
    }
}

/// A model's declared shape for an input or output, whose dimensions may be dynamic
/// (`[?, ?]` for `[batch, sequence]`), and whose rank itself may be unknown.
public struct OVPartialShape: Sendable, Equatable, CustomStringConvertible {
    /// The dimensions, or `nil` when even the rank is dynamic.
    public var dimensions: [OVDimension]?

    /// Creates a shape.
    public init(_ dimensions: [OVDimension]?) {
        self.dimensions = dimensions
    }

    /// Whether any dimension (or the rank) is dynamic.
    public var isDynamic: Bool { dimensions.map { !$0.allSatisfy(\.isStatic) } ?? true }

    /// Whether a tensor of `shape` may be given for it.
    public func accepts(_ shape: [Int]) -> Bool {
        guard let dimensions else { return true }
        return dimensions.count == shape.count && zip(dimensions, shape).allSatisfy { $0.accepts($1) }
    }

    /// `[?, ?, 384]`, or `[...]` for a dynamic rank.
    public var description: String {
        guard let dimensions else { return "[...]" }
        return "[" + dimensions.map(\.description).joined(separator: ", ") + "]"
    }
}

extension OVPartialShape {
    /// Reads the partial shape of `port` and frees what OpenVINO allocated for it.
    init(port: OpaquePointer, api: OVAPI, for subject: @autoclosure () -> String) throws(OVError) {
        let storage = OVCStruct(OVCStruct.partialShapeSize)
        try api.check(api.portGetPartialShape(port, storage.pointer), "reading the shape of \(subject())")
        defer { api.partialShapeFree(storage.pointer) }
        let rankMin = storage.int64(at: 0)
        let rankMax = storage.int64(at: OVCStruct.word)
        guard rankMin == rankMax, rankMin >= 0 else {
            self.init(nil)
            return
        }
        guard rankMin > 0, let dims = storage.rawPointer(at: 2 * OVCStruct.word) else {
            self.init([])
            return
        }
        let bounds = dims.assumingMemoryBound(to: Int64.self)
        self.init(
            (0..<Int(rankMin)).map { index in
                OVDimension(min: Int(bounds[2 * index]), max: Int(bounds[2 * index + 1]))
            })
    }
}
