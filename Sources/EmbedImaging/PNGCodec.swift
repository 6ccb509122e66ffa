internal import CEmbedImaging

/// PNG through libpng, giving the pixels Pillow's own PNG reader and `convert("RGB")` give:
/// palette looked up, gray below 8 bits scaled to 0–255, 16-bit RGB/RGBA/gray+alpha cut to
/// their high byte, 16-bit gray clipped to 255 (Pillow's `I;16` → RGB), alpha and tRNS
/// dropped (or composited over white). EXIF from eXIf (anywhere in the file) or a
/// "Raw profile type exif" text; XMP from "XML:com.adobe.xmp".
enum PNGCodec {
    static func decode(_ bytes: [UInt8], configuration: ImageDecodingConfiguration) throws(ImageError) -> DecodedImage {
        try PNGChunks.checkHeaderChecksums(bytes)
        let result: Result<DecodedImage, ImageError> = bytes.withUnsafeBufferPointer { data in
            do throws(ImageError) {
                return .success(try decode(data, configuration: configuration))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func decode(
        _ data: UnsafeBufferPointer<UInt8>, configuration: ImageDecodingConfiguration
    ) throws(ImageError) -> DecodedImage {
        guard let reader = PNGReader(data) else { throw ImageError(.outOfMemory, format: .png, "cannot create a reader") }
        let header = try reader.readHeader()
        let width = Int(header.width), height = Int(header.height)
        try configuration.checkDimensions(width: width, height: height, format: .png)
        let colorType = Int(header.color_type), depth = Int(header.bit_depth)
        let hasAlphaChannel = colorType == 4 || colorType == 6
        let composite = configuration.transparency == .compositeOverWhite
            && (hasAlphaChannel || (header.has_transparency != 0 && depth <= 8))
        let expand = composite && !hasAlphaChannel
        let keep16 = colorType == 0 && depth == 16 && !expand
        let channels: Int
        switch colorType {
        case 0: channels = expand ? 2 : 1
        case 2: channels = expand ? 4 : 3
        case 3: channels = header.has_transparency != 0 ? 4 : 3  // libpng expands a palette's tRNS with it
        case 4: channels = 2
        case 6: channels = 4
        default: throw ImageError(.corrupt, format: .png, "colour type \(colorType) is invalid")
        }
        var samples = [UInt8](repeating: 0, count: width * height * channels * (keep16 ? 2 : 1))
        let layout = try reader.readImage(into: &samples, expandTransparency: expand, keep16: keep16)
        guard layout.channels == channels, layout.bytesPerSample == (keep16 ? 2 : 1) else {
            throw ImageError(.corrupt, format: .png, "libpng produced \(layout.channels) channels, not \(channels)")
        }
        _ = reader.readEnd()
        let pixels: [UInt8]
        switch channels {
        case 1: pixels = keep16 ? PixelConversion.gray16ToRGB(samples) : PixelConversion.grayToRGB(samples)
        case 2: pixels = PixelConversion.grayAlphaToRGB(samples, composite: composite)
        case 4: pixels = PixelConversion.rgbaToRGB(samples, composite: composite)
        default: pixels = samples
        }
        var exif = reader.exif
        var xmp: [UInt8]?
        for (key, text) in reader.texts {
            if key == "XML:com.adobe.xmp" { xmp = text }
            if key == "Raw profile type exif", exif == nil { exif = rawProfile(text) }
        }
        return DecodedImage(image: RGB8Image(checkedWidth: width, height: height, pixels: pixels), exif: exif, xmp: xmp)
    }

    /// ImageMagick's "Raw profile type exif" text: a header of three lines, then hex digits
    /// (Pillow joins the lines from the fourth on and reads them as hex).
    static func rawProfile(_ text: [UInt8]) -> [UInt8]? {
        var lines = 0
        var bytes: [UInt8] = []
        var high: UInt8?
        for byte in text {
            if byte == UInt8(ascii: "\n") {
                lines += 1
                continue
            }
            guard lines >= 3 else { continue }
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): continue
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return high == nil ? bytes : nil
    }
}
