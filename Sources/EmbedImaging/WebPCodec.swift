internal import CWebP

/// WebP through libwebp's animation decoder, the API Pillow reads every WebP with: lossy,
/// lossless, with or without alpha, still or animated (the first frame, composited on its
/// canvas). EXIF and XMP come from the container's chunks, as Pillow takes them.
enum WebPCodec {
    static func decode(_ bytes: [UInt8], configuration: ImageDecodingConfiguration) throws(ImageError) -> DecodedImage {
        // A RIFF container that declares more bytes than there are is cut short.
        if bytes.count >= 8 {
            let declared = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
            guard declared + 8 <= bytes.count else {
                throw ImageError(
                    .truncated, format: .webp, "the container declares \(declared + 8) bytes, the data has \(bytes.count)")
            }
        }
        // The canvas size first: the decoder allocates the canvas as soon as it is created.
        var features = WebPBitstreamFeatures()
        let status = bytes.withUnsafeBufferPointer { data in WebPGetFeatures(data.baseAddress, data.count, &features) }
        switch status {
        case VP8_STATUS_OK: break
        case VP8_STATUS_NOT_ENOUGH_DATA: throw ImageError(.truncated, format: .webp, "the data ends inside the header")
        case VP8_STATUS_UNSUPPORTED_FEATURE: throw ImageError(.unsupportedFeature, format: .webp, "unsupported feature")
        default: throw ImageError(.corrupt, format: .webp, "invalid header (libwebp status \(status.rawValue))")
        }
        let width = Int(features.width), height = Int(features.height)
        try configuration.checkDimensions(width: width, height: height, format: .webp)
        let composite = configuration.transparency == .compositeOverWhite && features.has_alpha != 0
        let result = bytes.withUnsafeBufferPointer { data in
            decodeFirstFrame(data, width: width, height: height, composite: composite)
        }
        switch result {
        case .success(let decoded): return decoded
        case .failure(let error): throw error
        }
    }

    private static func decodeFirstFrame(
        _ data: UnsafeBufferPointer<UInt8>, width: Int, height: Int, composite: Bool
    ) -> Result<DecodedImage, ImageError> {
        var options = WebPAnimDecoderOptions()
        guard WebPAnimDecoderOptionsInit(&options) != 0 else {
            return .failure(ImageError(.corrupt, format: .webp, "libwebp's decoder options are not compatible"))
        }
        options.color_mode = MODE_RGBA
        options.use_threads = 0
        var webpData = WebPData(bytes: data.baseAddress, size: data.count)
        guard let decoder = WebPAnimDecoderNew(&webpData, &options) else {
            return .failure(ImageError(.corrupt, format: .webp, "the container cannot be parsed"))
        }
        defer { WebPAnimDecoderDelete(decoder) }
        var info = WebPAnimInfo()
        guard WebPAnimDecoderGetInfo(decoder, &info) != 0, Int(info.canvas_width) == width,
            Int(info.canvas_height) == height
        else {
            return .failure(ImageError(.corrupt, format: .webp, "the canvas size does not match the header"))
        }
        var canvas: UnsafeMutablePointer<UInt8>?
        var timestamp: Int32 = 0
        guard WebPAnimDecoderGetNext(decoder, &canvas, &timestamp) != 0, let canvas else {
            return .failure(ImageError(.corrupt, format: .webp, "the first frame cannot be decoded"))
        }
        let rgba = Array(UnsafeBufferPointer(start: canvas, count: width * height * 4))
        let pixels = PixelConversion.rgbaToRGB(rgba, composite: composite)
        let demuxer = WebPAnimDecoderGetDemuxer(decoder)
        return .success(
            DecodedImage(
                image: RGB8Image(checkedWidth: width, height: height, pixels: pixels),
                exif: chunk("EXIF", demuxer), xmp: chunk("XMP ", demuxer)))
    }

    /// The first chunk named `fourCC`, copied out of the demuxer.
    private static func chunk(_ fourCC: String, _ demuxer: OpaquePointer?) -> [UInt8]? {
        guard let demuxer else { return nil }
        var iterator = WebPChunkIterator()
        defer { WebPDemuxReleaseChunkIterator(&iterator) }
        guard WebPDemuxGetChunk(demuxer, fourCC, 1, &iterator) != 0, let bytes = iterator.chunk.bytes,
            iterator.chunk.size > 0
        else { return nil }
        return Array(UnsafeBufferPointer(start: bytes, count: iterator.chunk.size))
    }
}
