internal import CEmbedImaging

/// JPEG through libjpeg-turbo, with the settings Pillow's decoder uses (the library's
/// defaults: ISLOW DCT, fancy upsampling, block smoothing), and Pillow's colour rules:
/// 1 component is gray, 3 are YCbCr or RGB (libjpeg converts), 4 are CMYK or YCCK read as
/// Adobe-inverted CMYK.
enum JPEGCodec {
    static func decode(_ bytes: [UInt8], configuration: ImageDecodingConfiguration) throws(ImageError) -> DecodedImage {
        var message = ShimStatus.messageBuffer()
        var header = embed_jpeg_header()
        let headerStatus = bytes.withUnsafeBufferPointer { data in
            message.withUnsafeMutableBufferPointer { text in
                embed_jpeg_read_header(data.baseAddress, data.count, &header, text.baseAddress)
            }
        }
        try ShimStatus.check(headerStatus, format: .jpeg, ShimStatus.text(message), while: "reading the header")
        let width = Int(header.width), height = Int(header.height)
        try configuration.checkDimensions(width: width, height: height, format: .jpeg)
        let cmyk: Bool
        switch (header.components, header.color_space) {
        case (1, _), (3, 2), (3, 3): cmyk = false  // gray, RGB, YCbCr
        case (4, 4), (4, 5): cmyk = true  // CMYK, YCCK
        default:
            throw ImageError(
                .unsupportedFeature, format: .jpeg,
                "\(header.components) components in colour space \(header.color_space) are not decoded")
        }
        let channels = cmyk ? 4 : 3
        var samples = [UInt8](repeating: 0, count: width * height * channels)
        let scans = UInt32(clamping: configuration.maxJPEGScans)
        let status = bytes.withUnsafeBufferPointer { data in
            samples.withUnsafeMutableBufferPointer { pixels in
                message.withUnsafeMutableBufferPointer { text in
                    embed_jpeg_decode(
                        data.baseAddress, data.count, cmyk ? 1 : 0, scans, pixels.baseAddress, pixels.count,
                        text.baseAddress)
                }
            }
        }
        try ShimStatus.check(status, format: .jpeg, ShimStatus.text(message), while: "decoding")
        let rgb = cmyk ? PixelConversion.invertedCMYKToRGB(samples) : samples
        let metadata = JPEGMetadata(bytes)
        return DecodedImage(
            image: RGB8Image(checkedWidth: width, height: height, pixels: rgb), exif: metadata.exif, xmp: metadata.xmp)
    }
}
