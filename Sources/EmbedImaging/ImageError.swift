/// The one error type of `EmbedImaging`.
///
/// Every failure to decode is one of these: the code says what kind of failure it is, the
/// format (when it was recognised) which decoder refused, and the message names the reason
/// (the limit that was exceeded, libjpeg's or libpng's own words, the tag that was wrong).
public struct ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The data is empty (zero bytes).
        case empty
        /// The encoded data is larger than ``ImageDecodingConfiguration/maxEncodedBytes``.
        case encodedTooLarge
        /// The image has more pixels than ``ImageDecodingConfiguration/maxPixels`` (a
        /// decompression bomb, or just too large).
        case tooManyPixels
        /// A side is longer than ``ImageDecodingConfiguration/maxSide``.
        case sideTooLong
        /// The image declares a zero side.
        case invalidDimensions
        /// The bytes are not in a format this module decodes (GIF, BMP, TIFF, HEIC, unknown).
        case unsupportedFormat
        /// The format is known but this variant is not decoded (animated WebP, 12-bit JPEG,
        /// a JPEG with 2 components).
        case unsupportedFeature
        /// The data ends before the image is complete.
        case truncated
        /// The data is malformed.
        case corrupt
        /// The decoder ran out of memory.
        case outOfMemory
        /// A file could not be read.
        case unreadable
    }

    /// The kind of failure.
    public var code: Code
    /// The format of the data, when it was recognised.
    public var format: ImageFormat?
    /// What failed, in words.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, format: ImageFormat? = nil, _ message: String) {
        self.code = code
        self.format = format
        self.message = message
    }

    /// Whether the image was refused for a configured limit (its encoded bytes, its pixels
    /// or a side) rather than for being malformed or unsupported: a caller may answer "too
    /// large" (HTTP 413) instead of "invalid".
    public var isOverLimit: Bool {
        switch code {
        case .encodedTooLarge, .tooManyPixels, .sideTooLong: true
        default: false
        }
    }

    /// The message, prefixed with the format's name when known.
    public var description: String {
        if let format { "\(format.displayName) image: \(message)" } else { message }
    }
}
