/// Bounds-checked reads of big- or little-endian integers at offsets from `base`.
struct ByteReader {
    let bytes: [UInt8]
    let base: Int

    var count: Int { bytes.count - base }

    func byte(_ offset: Int) -> UInt8 {
        offset >= 0 && base + offset < bytes.count ? bytes[base + offset] : 0
    }

    func uint16(_ offset: Int, littleEndian: Bool) -> UInt16? {
        guard offset >= 0, offset + 2 <= count else { return nil }
        let a = UInt16(bytes[base + offset]), b = UInt16(bytes[base + offset + 1])
        return littleEndian ? a | b << 8 : a << 8 | b
    }

    func uint32(_ offset: Int, littleEndian: Bool) -> UInt32? {
        guard let low = uint16(offset, littleEndian: littleEndian),
            let high = uint16(offset + 2, littleEndian: littleEndian)
        else { return nil }
        return littleEndian ? UInt32(low) | UInt32(high) << 16 : UInt32(low) << 16 | UInt32(high)
    }
}
