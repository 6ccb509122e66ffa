/// The EXIF and XMP segments of a JPEG, found as Pillow finds them: the APP1 segments
/// before the first scan that start with `Exif\0\0` (several are joined, the later ones
/// without their prefix) or with the XMP namespace.
struct JPEGMetadata {
    var exif: [UInt8]?
    var xmp: [UInt8]?

    private static let exifPrefix = Array("Exif\0\0".utf8)
    private static let xmpPrefix = Array("http://ns.adobe.com/xap/1.0/\0".utf8)

    init(_ bytes: [UInt8]) {
        var offset = 2  // after SOI
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return }
            let marker = bytes[offset + 1]
            if marker == 0xFF {  // fill byte
                offset += 1
                continue
            }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
                offset += 2
                continue
            }
            if marker == 0xDA || marker == 0xD9 { return }  // start of scan, end of image
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { return }
            let segment = bytes[(offset + 4)..<(offset + 2 + length)]
            if marker == 0xE1 {
                if segment.starts(with: Self.exifPrefix) {
                    if exif == nil { exif = Array(segment) } else { exif?.append(contentsOf: segment.dropFirst(6)) }
                } else if segment.starts(with: Self.xmpPrefix) {
                    xmp = Array(segment.dropFirst(Self.xmpPrefix.count))
                }
            }
            offset += 2 + length
        }
    }
}
