/// How images are decoded: the limits checked before anything large is allocated, and the
/// two choices that change pixels (EXIF orientation, transparency).
///
/// Every field has one default, chosen to match a Python service that does
/// `ImageOps.exif_transpose(Image.open(f)).convert("RGB")`.
public struct ImageDecodingConfiguration: Sendable, Equatable {
    /// What to do with transparency (an alpha channel, or a PNG tRNS chunk).
    public enum Transparency: String, Sendable, Equatable {
        /// Drop it, keeping the colour values under it, as Pillow's `Image.convert("RGB")`
        /// does. The default.
        case discard
        /// Composite the image over opaque white, as transformers 5's `convert_to_rgb`
        /// does when `CLIPImageProcessor` is handed a PIL image that has transparency
        /// (Pillow's `alpha_composite` onto white: `(c * a + 255 * (255 - a) + 127) / 255`).
        case compositeOverWhite
    }

    /// The largest encoded input accepted, in bytes. Default 10 MB (10 × 1024 × 1024).
    public var maxEncodedBytes: Int = 10 * 1024 * 1024
    /// The largest image accepted, in pixels (width × height, before orientation). Default
    /// 40 megapixels: a 10 MB file can declare far more, and decoding it would allocate
    /// gigabytes (a decompression bomb).
    public var maxPixels: Int = 40_000_000
    /// The longest side accepted, in pixels. Default 20 000.
    public var maxSide: Int = 20_000
    /// The most scans a progressive JPEG may have (real files have about 10; a crafted file
    /// with thousands costs seconds of CPU). Default 1000.
    public var maxJPEGScans: Int = 1000
    /// Whether to apply the EXIF orientation (tags 1–8, from EXIF or, as Pillow, XMP), as
    /// `PIL.ImageOps.exif_transpose` does. Default `true`.
    public var appliesOrientation: Bool = true
    /// What to do with transparency. Default ``Transparency/discard``.
    public var transparency: Transparency = .discard

    /// The defaults.
    public init() {}

    /// A configuration with the given values; omitted ones keep their defaults.
    public init(
        maxEncodedBytes: Int = 10 * 1024 * 1024, maxPixels: Int = 40_000_000, maxSide: Int = 20_000,
        maxJPEGScans: Int = 1000, appliesOrientation: Bool = true, transparency: Transparency = .discard
    ) {
        self.maxEncodedBytes = maxEncodedBytes
        self.maxPixels = maxPixels
        self.maxSide = maxSide
        self.maxJPEGScans = maxJPEGScans
        self.appliesOrientation = appliesOrientation
        self.transparency = transparency
    }

    /// Checks a declared size against the limits, before any pixel buffer is allocated.
    func checkDimensions(width: Int, height: Int, format: ImageFormat) throws(ImageError) {
        guard width > 0, height > 0 else {
            throw ImageError(.invalidDimensions, format: format, "the image is \(width)×\(height) pixels")
        }
        guard width <= maxSide, height <= maxSide else {
            throw ImageError(
                .sideTooLong, format: format,
                "the image is \(width)×\(height) pixels, more than the maximum side of \(maxSide)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= maxPixels else {
            throw ImageError(
                .tooManyPixels, format: format,
                "the image is \(width)×\(height) pixels, more than the limit of \(maxPixels)")
        }
    }
}
