internal import CEmbedImaging

/// The one owner of a libpng read handle (through the shim), over bytes that the caller
/// keeps alive for the reader's lifetime (``PNGCodec`` uses it inside
/// `withUnsafeBufferPointer`).
final class PNGReader {
    private let handle: OpaquePointer

    init?(_ data: UnsafeBufferPointer<UInt8>) {
        guard let handle = embed_png_create(data.baseAddress, data.count) else { return nil }
        self.handle = handle
    }

    deinit { embed_png_destroy(handle) }

    private var message: String { String(cString: embed_png_message(handle)) }

    func readHeader() throws(ImageError) -> embed_png_header {
        var header = embed_png_header()
        let status = embed_png_read_header(handle, &header)
        try ShimStatus.check(status, format: .png, message, while: "reading the header")
        return header
    }

    /// Decodes the image into `samples` (sized by the caller from the header) and returns the
    /// channel count and bytes per sample libpng produced.
    func readImage(into samples: inout [UInt8], expandTransparency: Bool, keep16: Bool) throws(ImageError) -> (
        channels: Int, bytesPerSample: Int
    ) {
        var channels: Int32 = 0
        var bytesPerSample: Int32 = 0
        let status = samples.withUnsafeMutableBufferPointer { pixels in
            embed_png_read_image(
                handle, expandTransparency ? 1 : 0, keep16 ? 1 : 0, pixels.baseAddress, pixels.count, &channels,
                &bytesPerSample)
        }
        try ShimStatus.check(status, format: .png, message, while: "decoding")
        return (Int(channels), Int(bytesPerSample))
    }

    /// Reads the chunks after the image; returns `false` if they are damaged (the image
    /// itself is complete by then, and Pillow does not fail on a damaged tail either).
    func readEnd() -> Bool { embed_png_read_end(handle) == Int32(EMBED_IMAGE_OK) }

    /// The eXIf chunk, with Pillow's `Exif\0\0` prefix.
    var exif: [UInt8]? {
        var data: UnsafePointer<UInt8>?
        var size: UInt32 = 0
        guard embed_png_exif(handle, &data, &size) != 0, let data else { return nil }
        return Array("Exif\0\0".utf8) + Array(UnsafeBufferPointer(start: data, count: Int(size)))
    }

    /// The text chunks, keyword and text bytes, in file order.
    var texts: [(key: String, text: [UInt8])] {
        var result: [(String, [UInt8])] = []
        for index in 0..<embed_png_text_count(handle) {
            var key: UnsafePointer<CChar>?
            var text: UnsafePointer<CChar>?
            var length = 0
            guard embed_png_text(handle, index, &key, &text, &length) != 0, let key else { continue }
            let bytes = text.map { pointer in
                pointer.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
            } ?? []
            result.append((String(cString: key), bytes))
        }
        return result
    }
}
