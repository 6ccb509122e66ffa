/// What a scan of an ONNX file's protobuf finds without loading it in ONNX Runtime: the
/// operator types of the main graph and the external-data files its initializers use.
///
/// Only the fields needed are read (`ModelProto.graph` → `GraphProto.node[].op_type`,
/// `GraphProto.initializer[].external_data`); everything else, including tensor payloads,
/// is skipped by length, so scanning a large model touches little of it.
public struct ONNXGraphScan: Sendable, Equatable {
    /// Distinct operator types, e.g. `MatMul`, `DynamicQuantizeLinear`.
    public var operatorTypes: Set<String>
    /// Files (relative to the model) holding initializers stored outside the graph.
    public var externalDataFiles: Set<String>

    /// Operators that only quantized graphs contain.
    static let quantizedOperators: Set<String> = [
        "DynamicQuantizeLinear", "MatMulInteger", "ConvInteger", "QuantizeLinear", "DequantizeLinear",
        "DynamicQuantizeMatMul", "MatMulIntegerToFloat", "QAttention", "QGemm", "QEmbedLayerNormalization",
        "MatMulNBits", "GatherBlockQuantized",
    ]

    /// The quantized operators present (any `QLinear*` counts too).
    public var quantizedOperators: [String] {
        operatorTypes.filter { Self.quantizedOperators.contains($0) || $0.hasPrefix("QLinear") }.sorted()
    }

    /// Scans serialized `ModelProto` bytes (a `Data`, an array…).
    public init<Bytes: RandomAccessCollection<UInt8>>(bytes: Bytes) throws(EmbedCoreError) where Bytes.Index == Int {
        operatorTypes = []
        externalDataFiles = []
        var model = ProtobufReader(bytes, range: bytes.startIndex..<bytes.endIndex)
        while let field = try model.next() {
            guard field.number == 7, case .bytes(let graphRange) = field.value else { continue }
            var graph = ProtobufReader(bytes, range: graphRange)
            while let graphField = try graph.next() {
                guard case .bytes(let range) = graphField.value else { continue }
                switch graphField.number {
                case 1: try readNode(bytes, range)
                case 5: try readInitializer(bytes, range)
                default: continue
                }
            }
        }
    }

    private mutating func readNode<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ range: Range<Int>) throws(EmbedCoreError) where Bytes.Index == Int {
        var node = ProtobufReader(bytes, range: range)
        while let field = try node.next() {
            if field.number == 4, case .bytes(let opRange) = field.value {
                operatorTypes.insert(String(decoding: bytes[opRange], as: UTF8.self))
            }
        }
    }

    private mutating func readInitializer<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ range: Range<Int>) throws(EmbedCoreError) where Bytes.Index == Int {
        var tensor = ProtobufReader(bytes, range: range)
        while let field = try tensor.next() {
            // TensorProto.external_data (13): StringStringEntryProto { key = 1; value = 2 }.
            guard field.number == 13, case .bytes(let entryRange) = field.value else { continue }
            var entry = ProtobufReader(bytes, range: entryRange)
            var key = ""
            var value = ""
            while let entryField = try entry.next() {
                guard case .bytes(let textRange) = entryField.value else { continue }
                let text = String(decoding: bytes[textRange], as: UTF8.self)
                if entryField.number == 1 { key = text } else if entryField.number == 2 { value = text }
            }
            if key == "location", !value.isEmpty { externalDataFiles.insert(value) }
        }
    }
}

/// A minimal protobuf wire-format reader over a byte range.
struct ProtobufReader<Bytes: RandomAccessCollection<UInt8>> where Bytes.Index == Int {
    enum Value {
        case varint(UInt64)
        case bytes(Range<Int>)
        case fixed
    }

    struct Field {
        var number: UInt64
        var value: Value
    }

    private let bytes: Bytes
    private var position: Int
    private let end: Int

    init(_ bytes: Bytes, range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    mutating func next() throws(EmbedCoreError) -> Field? {
        guard position < end else { return nil }
        let key = try varint()
        let number = key >> 3
        switch key & 7 {
        case 0:
            return Field(number: number, value: .varint(try varint()))
        case 1:
            try skip(8)
            return Field(number: number, value: .fixed)
        case 2:
            let length = try varint()
            guard length <= UInt64(end - position) else {
                throw EmbedCoreError(.invalidArgument, "a field of \(length) bytes runs past the end of its message")
            }
            let start = position
            position += Int(length)
            return Field(number: number, value: .bytes(start..<position))
        case 5:
            try skip(4)
            return Field(number: number, value: .fixed)
        default:
            throw EmbedCoreError(.invalidArgument, "unsupported protobuf wire type \(key & 7)")
        }
    }

    private mutating func varint() throws(EmbedCoreError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < end, shift < 64 {
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw EmbedCoreError(.invalidArgument, "truncated varint")
    }

    private mutating func skip(_ count: Int) throws(EmbedCoreError) {
        guard end - position >= count else { throw EmbedCoreError(.invalidArgument, "truncated fixed-size field") }
        position += count
    }
}
