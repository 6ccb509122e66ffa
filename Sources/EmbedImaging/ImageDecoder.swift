#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes JPEG, PNG and WebP data to ``RGB8Image``, pixel for pixel as
/// `PIL.ImageOps.exif_transpose(PIL.Image.open(f)).convert("RGB")` gives them.
///
/// Decoding is blocking, CPU-bound work: call it on a thread that may block. Every function
/// is safe to call from any number of threads at once (no shared state).
public enum ImageDecoder {
    /// Decodes `bytes`. The format is recognised from the data itself.
    public static func decode(
        _ bytes: [UInt8], configuration: ImageDecodingConfiguration = .init()
    ) throws(ImageError) -> RGB8Image {
        guard !bytes.isEmpty else { throw ImageError(.empty, "the data is empty (0 bytes)") }
        guard bytes.count <= configuration.maxEncodedBytes else {
            throw ImageError(
                .encodedTooLarge, format: ImageFormat.sniff(bytes),
                "\(bytes.count) bytes, more than the limit of \(configuration.maxEncodedBytes)")
        }
        guard let format = ImageFormat.sniff(bytes) else {
            throw ImageError(.unsupportedFormat, "the data is not a JPEG, PNG or WebP image (unknown signature)")
        }
        let decoded: DecodedImage
        switch format {
        case .jpeg: decoded = try JPEGCodec.decode(bytes, configuration: configuration)
        case .png: decoded = try PNGCodec.decode(bytes, configuration: configuration)
        case .webp: decoded = try WebPCodec.decode(bytes, configuration: configuration)
        case .gif, .bmp, .tiff, .heif:
            throw ImageError(.unsupportedFormat, format: format, "this format is not decoded (JPEG, PNG and WebP are)")
        }
        guard configuration.appliesOrientation else { return decoded.image }
        return decoded.image.applying(decoded.orientation)
    }

    /// Reads and decodes the file at `path`, checking its size against
    /// ``ImageDecodingConfiguration/maxEncodedBytes`` before reading it.
    public static func decode(
        contentsOfFile path: String, configuration: ImageDecodingConfiguration = .init()
    ) throws(ImageError) -> RGB8Image {
        try decode(try readFile(path, limit: configuration.maxEncodedBytes), configuration: configuration)
    }

    /// The bytes of the file at `path`, refused past `limit` bytes.
    static func readFile(_ path: String, limit: Int) throws(ImageError) -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw ImageError(.unreadable, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 {
                guard bytes.count + count <= limit else {
                    throw ImageError(.encodedTooLarge, "\(path) is larger than the limit of \(limit) bytes")
                }
                bytes.append(contentsOf: chunk[0..<count])
            }
            if count < chunk.count {
                guard ferror(file) == 0 else { throw ImageError(.unreadable, "cannot read \(path)") }
                return bytes
            }
        }
    }
}
