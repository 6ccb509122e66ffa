/// Pillow's checksum rule for PNG: every chunk before the first IDAT must have a correct
/// CRC (Pillow raises "broken PNG file" otherwise); IDAT and the chunks after it are not
/// checked. libpng is told to ignore CRCs, and this check is made first.
enum PNGChunks {
    /// Throws if a chunk before the first IDAT has a wrong CRC. A file that ends inside
    /// those chunks is left to libpng, which reports it as truncated.
    static func checkHeaderChecksums(_ bytes: [UInt8]) throws(ImageError) {
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                | Int(bytes[offset + 3])
            let type = bytes[(offset + 4)..<(offset + 8)]
            if type.elementsEqual("IDAT".utf8) { return }
            guard length <= bytes.count - offset - 12 else { return }
            let end = offset + 8 + length
            let stored = UInt32(bytes[end]) << 24 | UInt32(bytes[end + 1]) << 16 | UInt32(bytes[end + 2]) << 8
                | UInt32(bytes[end + 3])
            guard crc32(bytes[(offset + 4)..<end]) == stored else {
                let name = String(decoding: type, as: UTF8.self)
                throw ImageError(.corrupt, format: .png, "bad checksum in the \(name) chunk")
            }
            offset = end + 4
        }
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// The CRC-32 (ISO 3309, as PNG uses it) of `bytes`.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
