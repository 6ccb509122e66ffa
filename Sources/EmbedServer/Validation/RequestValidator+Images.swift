import EmbedCore
import EmbedEngine
import Foundation

extension RequestValidator {
    /// `input` with `modality: "image"`: a string or an array of strings, each the image's
    /// bytes in base64 or a `data:image/…;base64,` URL, or an http(s) URL on a host that
    /// ``ServerConfiguration/imageURLs`` allows (fetched later; refused otherwise). Decoding the
    /// image is the engine's (its errors name the input).
    func imageInputs(_ fields: RequestFields, key: String) throws(ServerError) -> (inputs: [EmbeddingInput], pending: [PendingImage]) {
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
        var inputs: [EmbeddingInput] = []
        var pending: [PendingImage] = []
        for (index, item) in items.enumerated() {
            let path = single ? key : "\(key)[\(index)]"
            guard case .string(let text) = item else {
                throw ServerError(
                    .invalidRequest, "'\(path)' must be a string (a base64 image or a data URL), got \(item.typeName)",
                    parameter: key)
            }
            switch try imageSource(text, path: path, key: key) {
            case .bytes(let data): inputs.append(.image(data))
            case .url(let url):
                pending.append(PendingImage(input: inputs.count, url: url, path: path))
                inputs.append(.image(Data()))
            }
        }
        return (inputs, pending)
    }

    /// Where one image comes from: bytes in the body, or a URL to fetch.
    enum ImageSource: Sendable, Equatable {
        case bytes(Data)
        case url(URL)
    }

    /// One image given as base64, as a `data:image/…;base64,` URL, or as an http(s) URL that
    /// the server's ``ImageURLPolicy`` allows.
    func imageSource(_ text: String, path: String, key: String) throws(ServerError) -> ImageSource {
        let lowered = text.prefix(8).lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            return .url(try imageURL(text, path: path, key: key))
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
        return .bytes(bytes)
    }

    /// An http(s) image URL checked against the policy: off, or a host not allowed, is a 400
    /// saying which setting decides.
    private func imageURL(_ text: String, path: String, key: String) throws(ServerError) -> URL {
        let policy = configuration.imageURLs
        guard policy.isEnabled else {
            throw ServerError(
                .invalidRequest,
                "'\(path)' is an http(s) URL: this server does not fetch images (server.image_url_hosts is empty); "
                    + "send the image as base64 or a data:image/...;base64, URL",
                parameter: key)
        }
        guard let url = URL(string: text), let host = url.host, !host.isEmpty else {
            throw ServerError(.invalidRequest, "'\(path)' is not a valid http(s) URL", parameter: key)
        }
        guard policy.allows(url) else {
            throw ServerError(
                .invalidRequest,
                "'\(path)' is a URL on \(url.port.map { "\(host):\($0)" } ?? host), which is not among the hosts this server "
                    + "fetches images from (server.image_url_hosts)",
                parameter: key)
        }
        return url
    }
}
