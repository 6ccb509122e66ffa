internal import CEmbedImaging

/// The one status check for the C shim: turns its result code and message into an
/// `ImageError` (or nothing, for `EMBED_IMAGE_OK`).
enum ShimStatus {
    /// A message buffer of the size the shim expects.
    static func messageBuffer() -> [CChar] {
        [CChar](repeating: 0, count: Int(EMBED_IMAGE_MESSAGE_CAPACITY))
    }

    /// The text of a NUL-terminated message buffer.
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Throws the error that `status` stands for, if any.
    static func check(_ status: Int32, format: ImageFormat, _ message: String, while action: String) throws(ImageError) {
        let code: ImageError.Code
        switch Int(status) {
        case EMBED_IMAGE_OK: return
        case EMBED_IMAGE_TRUNCATED: code = .truncated
        case EMBED_IMAGE_UNSUPPORTED: code = .unsupportedFeature
        case EMBED_IMAGE_OUT_OF_MEMORY: code = .outOfMemory
        case EMBED_IMAGE_LIMIT: code = .unsupportedFeature
        default: code = .corrupt
        }
        let reason = message.isEmpty ? "unknown error" : message
        throw ImageError(code, format: format, "\(action): \(reason)")
    }
}
