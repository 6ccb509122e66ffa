/// An image container format, recognised from the first bytes of the data (never from a
/// file name or a declared content type).
public enum ImageFormat: String, Sendable, Equatable, CaseIterable {
    /// JPEG (JFIF, EXIF or Adobe), baseline or progressive.
    case jpeg
    /// PNG.
    case png
    /// WebP, lossy or lossless, with or without alpha.
    case webp
    /// GIF: recognised, not decoded.
    case gif
    /// BMP: recognised, not decoded.
    case bmp
    /// TIFF: recognised, not decoded.
    case tiff
    /// HEIF/HEIC/AVIF (ISO base media): recognised, not decoded.
    case heif

    /// Whether this module decodes the format.
    public var isDecodable: Bool {
        switch self {
        case .jpeg, .png, .webp: true
        case .gif, .bmp, .tiff, .heif: false
        }
    }

    /// The format's usual name.
    public var displayName: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        case .gif: "GIF"
        case .bmp: "BMP"
        case .tiff: "TIFF"
        case .heif: "HEIF"
        }
    }

    /// The format whose signature `bytes` start with, or `nil`.
    public static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("BM".utf8)) { return .bmp }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if starts(Array("ftyp".utf8), at: 4) { return .heif }
        return nil
    }
}
