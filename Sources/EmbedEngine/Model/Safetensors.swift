import EmbedCore
import Foundation

/// A `.safetensors` file read for its float tensors: an 8-byte little-endian header size,
/// a JSON header naming each tensor's dtype, shape and byte range, then the data.
struct Safetensors {
    struct Entry: Decodable {
        var dtype: String
        var shape: [Int]
        var dataOffsets: [Int]

        enum CodingKeys: String, CodingKey {
            case dtype, shape
            case dataOffsets = "data_offsets"
        }
    }

    let url: URL
    let entries: [String: Entry]
    private let data: Data
    private let dataStart: Int

    /// Reads and checks the header of the file at `url`.
    init(contentsOf url: URL) throws(EmbedError) {
        self.url = url
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw EmbedError(.modelNotFound, "cannot read \(url.path): \(error.localizedDescription)")
        }
        guard data.count >= 8 else { throw Self.invalid(url, "shorter than its 8-byte header size") }
        var headerSize = 0
        for index in 0..<8 { headerSize |= Int(data[data.startIndex + index]) << (8 * index) }
        guard headerSize > 0, headerSize <= data.count - 8 else {
            throw Self.invalid(url, "header size \(headerSize) does not fit the file of \(data.count) bytes")
        }
        let header = data[(data.startIndex + 8)..<(data.startIndex + 8 + headerSize)]
        let entries: [String: Entry]
        do {
            entries = try JSONDecoder().decode(Header.self, from: header).entries
        } catch {
            throw Self.invalid(url, "has a header that is not valid: \(error)")
        }
        self.entries = entries
        dataStart = 8 + headerSize
    }

    /// The values of tensor `name` as `Float`, with its shape. F32, F16, BF16 and F64 are read.
    func floats(_ name: String) throws(EmbedError) -> (shape: [Int], values: [Float]) {
        guard let entry = entries[name] else {
            throw Self.invalid(url, "has no tensor '\(name)' (it has \(entries.keys.sorted().joined(separator: ", ")))")
        }
        let width: Int
        switch entry.dtype {
        case "F32": width = 4
        case "F16", "BF16": width = 2
        case "F64": width = 8
        default: throw Self.invalid(url, "tensor '\(name)' has dtype \(entry.dtype); only F32, F16, BF16 and F64 are read")
        }
        var count = 1
        for dimension in entry.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow, product <= data.count else {
                throw Self.invalid(url, "tensor '\(name)' has an impossible shape \(entry.shape)")
            }
            count = product
        }
        guard entry.dataOffsets.count == 2, entry.dataOffsets[0] >= 0, entry.dataOffsets[1] <= data.count,
            entry.dataOffsets[1] - entry.dataOffsets[0] == count * width, dataStart + entry.dataOffsets[1] <= data.count
        else { throw Self.invalid(url, "tensor '\(name)' has inconsistent offsets \(entry.dataOffsets) for shape \(entry.shape)") }
        var values = [Float](repeating: 0, count: count)
        let base = data.startIndex + dataStart + entry.dataOffsets[0]
        for index in 0..<count {
            var bits: UInt64 = 0
            for byte in 0..<width { bits |= UInt64(data[base + index * width + byte]) << (8 * byte) }
            switch entry.dtype {
            case "F32": values[index] = Float(bitPattern: UInt32(truncatingIfNeeded: bits))
            case "F64": values[index] = Float(Double(bitPattern: bits))
            case "BF16": values[index] = Float(bitPattern: UInt32(truncatingIfNeeded: bits) << 16)
            default: values[index] = Self.halfToFloat(UInt16(truncatingIfNeeded: bits))
            }
        }
        return (entry.shape, values)
    }

    /// IEEE 754 binary16 to binary32, subnormals and infinities included.
    static func halfToFloat(_ half: UInt16) -> Float {
        let sign: Float = half & 0x8000 != 0 ? -1 : 1
        let exponent = Int((half >> 10) & 0x1F)
        let fraction = Float(half & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * Float(sign: .plus, exponent: -24, significand: 1)
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    private static func invalid(_ url: URL, _ message: String) -> EmbedError {
        EmbedError(.invalidModel, "\(url.deletingLastPathComponent().lastPathComponent)/\(url.lastPathComponent) \(message)")
    }

    /// The JSON header: one entry per tensor, and free-form `__metadata__`.
    private struct Header: Decodable {
        var entries: [String: Entry] = [:]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyCodingKey.self)
            for key in container.allKeys where key.stringValue != "__metadata__" {
                entries[key.stringValue] = try container.decode(Entry.self, forKey: key)
            }
        }
    }
}
