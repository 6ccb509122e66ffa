import EmbedCore
import EmbedEngine
import Foundation

extension RequestValidator {
    /// `input` with `modality: "image"`: a string or an array of strings, each the image's
    /// bytes in base64 or a `data:image/…;base64,` URL. Images are not fetched: an http(s)
    /// URL is refused. Decoding the image is the engine's (its errors name the input).
    func imageInputs(_ fields: RequestFields, key: String) throws(ServerError) -> [EmbeddingInput] {
        guard let value = fields.value(key) else {
            throw ServerError(.invalidRequest, "'\(key)' is missing", parameter: key)
        }
        let items: [JSONValue]
        var single = false
        switch value {
        case .string:
            items = [value]
            single = true
        case .array(let array):
            guard !array.isEmpty else { throw ServerError(.invalidRequest, "'\(key)' must not be empty", parameter: key) }
            items = array
        default:
            throw ServerError(
                .invalidRequest, "'\(key)' must be a string or an array of strings (base64 images), got \(value.typeName)",
                parameter: key)
        }
        try checkCount(items.count, key: key)
        return try items.enumerated().map { (index, item) throws(ServerError) -> EmbeddingInput in
            let path = single ? key : "\(key)[\(index)]"
            guard case .string(let text) = item else {
                throw ServerError(
                    .invalidRequest, "'\(path)' must be a string (a base64 image or a data URL), got \(item.typeName)",
                    parameter: key)
            }
            return .image(try Self.imageBytes(text, path: path, key: key))
        }
    }

    /// The bytes of one image given as base64 or as a `data:image/…;base64,` URL.
    static func imageBytes(_ text: String, path: String, key: String) throws(ServerError) -> Data {
        let lowered = text.prefix(8).lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            throw ServerError(
                .invalidRequest,
                "'\(path)' is an http(s) URL: fetching images is not supported; send the image as base64 or a data:image/...;base64, URL",
                parameter: key)
        }
        var payload = Substring(text)
        if lowered.hasPrefix("data:") {
            guard let comma = text.firstIndex(of: ","),
                text[..<comma].lowercased().hasPrefix("data:image/"), text[..<comma].lowercased().hasSuffix(";base64")
            else {
                throw ServerError(
                    .invalidRequest, "'\(path)' is a data URL but not data:image/<type>;base64,<data>", parameter: key)
            }
            payload = text[text.index(after: comma)...]
        }
        guard !payload.isEmpty else { throw ServerError(.invalidRequest, "'\(path)' is an empty image", parameter: key) }
        guard let bytes = Data(base64Encoded: String(payload)) else {
            throw ServerError(.invalidRequest, "'\(path)' is not valid base64", parameter: key)
        }
        return bytes
    }
}
