/// An EXIF orientation (tag 0x0112), and how it is read the way Pillow's `Image.getexif`
/// reads it: from the EXIF block (a TIFF structure, with or without its `Exif\0\0` prefix),
/// or, when that has no orientation tag, from `tiff:Orientation` in the XMP packet.
public enum ExifOrientation: Int, Sendable, Equatable, CaseIterable {
    /// 1: as stored.
    case up = 1
    /// 2: mirrored left to right.
    case upMirrored = 2
    /// 3: rotated 180°.
    case down = 3
    /// 4: mirrored top to bottom.
    case downMirrored = 4
    /// 5: transposed (mirrored along the main diagonal).
    case leftMirrored = 5
    /// 6: stored rotated 90° counter-clockwise; shown rotated 90° clockwise.
    case right = 6
    /// 7: transversed (mirrored along the other diagonal).
    case rightMirrored = 7
    /// 8: stored rotated 90° clockwise; shown rotated 90° counter-clockwise.
    case left = 8

    /// Whether applying the orientation swaps width and height.
    public var swapsSides: Bool { rawValue >= 5 }

    /// The orientation Pillow would apply for this metadata: the EXIF tag if the EXIF block
    /// has one (any value other than 1–8 means none), else the XMP one. Malformed EXIF
    /// means no orientation (Pillow raises there; we decode the image as stored).
    static func resolve(exif: [UInt8]?, xmp: [UInt8]?) -> ExifOrientation {
        if let exif, let value = tagValue(exif: exif) {
            return ExifOrientation(rawValue: value) ?? .up
        }
        if let xmp, let value = xmpValue(xmp) {
            return ExifOrientation(rawValue: value) ?? .up
        }
        return .up
    }

    /// The value of tag 0x0112 in IFD0, when it is one SHORT, LONG, SSHORT or SLONG.
    static func tagValue(exif bytes: [UInt8]) -> Int? {
        var start = 0
        if bytes.count >= 6, Array(bytes[0..<6]) == Array("Exif\0\0".utf8) { start = 6 }
        let tiff = ByteReader(bytes: bytes, base: start)
        guard tiff.count >= 8 else { return nil }
        let order = (tiff.byte(0), tiff.byte(1))
        let littleEndian: Bool
        switch order {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        guard let magic = tiff.uint16(2, littleEndian: littleEndian), magic == 42 || magic == 0x2A00,
            let ifd = tiff.uint32(4, littleEndian: littleEndian), let entries = tiff.uint16(Int(ifd), littleEndian: littleEndian)
        else { return nil }
        for index in 0..<Int(entries) {
            let entry = Int(ifd) + 2 + index * 12
            guard let tag = tiff.uint16(entry, littleEndian: littleEndian),
                let type = tiff.uint16(entry + 2, littleEndian: littleEndian),
                let count = tiff.uint32(entry + 4, littleEndian: littleEndian)
            else { return nil }
            guard tag == 0x0112 else { continue }
            guard count == 1 else { return nil }
            switch type {
            case 3: return tiff.uint16(entry + 8, littleEndian: littleEndian).map { Int($0) }
            case 8: return tiff.uint16(entry + 8, littleEndian: littleEndian).map { Int(Int16(bitPattern: $0)) }
            case 4: return tiff.uint32(entry + 8, littleEndian: littleEndian).map { Int($0) }
            case 9: return tiff.uint32(entry + 8, littleEndian: littleEndian).map { Int(Int32(bitPattern: $0)) }
            default: return nil
            }
        }
        return nil
    }

    /// The digit after the first `tiff:Orientation="` or `tiff:Orientation>` in an XMP packet.
    static func xmpValue(_ bytes: [UInt8]) -> Int? {
        let needle = Array("tiff:Orientation".utf8)
        guard bytes.count > needle.count + 1 else { return nil }
        var index = 0
        while index + needle.count + 1 < bytes.count {
            if bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle {
                let after = index + needle.count
                if bytes[after] == UInt8(ascii: ">"), (0x30...0x39).contains(bytes[after + 1]) {
                    return Int(bytes[after + 1] - 0x30)
                }
                if bytes[after] == UInt8(ascii: "="), after + 2 < bytes.count, bytes[after + 1] == UInt8(ascii: "\""),
                    (0x30...0x39).contains(bytes[after + 2])
                {
                    return Int(bytes[after + 2] - 0x30)
                }
            }
            index += 1
        }
        return nil
    }
}
