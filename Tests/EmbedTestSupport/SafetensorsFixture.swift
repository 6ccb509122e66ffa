public import Foundation

/// Writes `.safetensors` files of float32 tensors for tests, as the format says: the JSON
/// header's size (8 bytes, little-endian), the header, then the little-endian data.
public enum SafetensorsFixture {
    /// The file of `tensors`, in a new temporary folder.
    public static func write(_ tensors: [(name: String, shape: [Int], values: [Float])]) throws -> URL {
        var header: [String: Any] = [:]
        var data = Data()
        for tensor in tensors {
            let start = data.count
            for value in tensor.values { data.append(contentsOf: littleEndian(UInt64(value.bitPattern), bytes: 4)) }
            header[tensor.name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [start, data.count]]
        }
        let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        var file = Data()
        file.append(contentsOf: littleEndian(UInt64(json.count), bytes: 8))
        file.append(json)
        file.append(data)
        let url = try TestPaths.temporaryFolder().appendingPathComponent("projection.safetensors")
        try file.write(to: url)
        return url
    }

    static func littleEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}
