public import Foundation

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

    /// Scans the file at `url`.
    public init(contentsOf url: URL) throws(EmbedError) {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw EmbedError(.modelNotFound, "cannot read \(url.path): \(error.localizedDescription)")
        }
        do {
            try self.init(bytes: data)
        } catch {
            throw EmbedError(.invalidModel, "\(url.lastPathComponent) is not a valid ONNX file: \(error.message)")
        }
    }

    /// Scans serialized `ModelProto` bytes.
    public init(bytes: Data) throws(EmbedError) {
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

    private mutating func readNode(_ bytes: Data, _ range: Range<Data.Index>) throws(EmbedError) {
        var node = ProtobufReader(bytes, range: range)
        while let field = try node.next() {
            if field.number == 4, case .bytes(let opRange) = field.value {
                operatorTypes.insert(String(decoding: bytes[opRange], as: UTF8.self))
            }
        }
    }

    private mutating func readInitializer(_ bytes: Data, _ range: Range<Data.Index>) throws(EmbedError) {
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
struct ProtobufReader {
    enum Value {
        case varint(UInt64)
        case bytes(Range<Data.Index>)
        case fixed
    }

    struct Field {
        var number: UInt64
        var value: Value
    }

    private let bytes: Data
    private var position: Data.Index
    private let end: Data.Index

    init(_ bytes: Data, range: Range<Data.Index>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    mutating func next() throws(EmbedError) -> Field? {
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
                throw EmbedError(.invalidModel, "a field of \(length) bytes runs past the end of its message")
            }
            let start = position
            position += Int(length)
            return Field(number: number, value: .bytes(start..<position))
        case 5:
            try skip(4)
            return Field(number: number, value: .fixed)
        default:
            throw EmbedError(.invalidModel, "unsupported protobuf wire type \(key & 7)")
        }
    }

    private mutating func varint() throws(EmbedError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < end, shift < 64 {
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw EmbedError(.invalidModel, "truncated varint")
    }

    private mutating func skip(_ count: Int) throws(EmbedError) {
        guard end - position >= count else { throw EmbedError(.invalidModel, "truncated fixed-size field") }
        position += count
    }
}
