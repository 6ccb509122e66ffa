import Foundation

/// NumPy's `.npy` format, version 1.0: the magic `\x93NUMPY`, version `1 0`, a little-endian
/// 16-bit header length, then a Python dict literal padded with spaces and ended by `\n` so
/// that the data starts at a multiple of 64 bytes, then the values in C order.
enum NPY {
    /// The element types written here.
    enum Element: String, Sendable {
        case float32 = "<f4"
        case int64 = "<i8"

        var size: Int { self == .float32 ? 4 : 8 }
    }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The header of an array of `shape` (one or two dimensions).
    static func header(_ element: Element, shape: [Int]) -> [UInt8] {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(element.rawValue)', 'fortran_order': False, 'shape': \(dims), }"
        let unpadded = magic.count + 4 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = dict.utf8.count
        return magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(dict.utf8)
    }

    /// Appends `values` as little-endian float32.
    static func append(_ values: [Float], to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values {
            let bits = value.bitPattern
            bytes.append(contentsOf: [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                                      UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)])
        }
    }

    /// Appends `value` as a little-endian int64.
    static func append(int64 value: Int64, to bytes: inout [UInt8]) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    /// A parsed header: element type, shape, and where the data starts.
    struct Header: Equatable {
        var element: Element
        var shape: [Int]
        var dataOffset: Int
    }

    /// Parses the header at the start of `bytes` (version 1.0, C order, one of our element
    /// types); `name` is the file, for errors.
    static func parseHeader(_ bytes: [UInt8], name: String) throws -> Header {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw CLIError("\(name) is not an .npy file") }
        guard bytes[6] == 1, bytes[7] == 0 else { throw CLIError("\(name): .npy version \(bytes[6]).\(bytes[7]), expected 1.0") }
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + length, let dict = String(validating: bytes[10..<(10 + length)], as: UTF8.self) else {
            throw CLIError("\(name): the .npy header is cut short")
        }
        guard dict.contains("'fortran_order': False") else { throw CLIError("\(name): expected C order (fortran_order False)") }
        guard let element = [Element.float32, .int64].first(where: { dict.contains("'descr': '\($0.rawValue)'") }) else {
            throw CLIError("\(name): expected descr '<f4' or '<i8' in the .npy header, got \(dict.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        guard let open = dict.range(of: "'shape': ("), let close = dict[open.upperBound...].firstIndex(of: ")") else {
            throw CLIError("\(name): no shape in the .npy header")
        }
        let shape = dict[open.upperBound..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.map { Int($0) }
        guard !shape.isEmpty, shape.allSatisfy({ $0 != nil }) else { throw CLIError("\(name): cannot read the .npy shape") }
        return Header(element: element, shape: shape.compactMap { $0 }, dataOffset: 10 + length)
    }

    /// Reads little-endian float32 values from `bytes`.
    static func floats(_ bytes: ArraySlice<UInt8>) -> [Float] {
        stride(from: bytes.startIndex, to: bytes.endIndex - 3, by: 4).map { start in
            Float(bitPattern: UInt32(bytes[start]) | UInt32(bytes[start + 1]) << 8 | UInt32(bytes[start + 2]) << 16
                | UInt32(bytes[start + 3]) << 24)
        }
    }
}
