import EmbedCore
import EmbedEngine
import Foundation

extension RequestValidator {
    /// `input` as Jina's list of items, each `{"text": s}`, `{"image": s}` (base64 or a
    /// `data:image/…;base64,` URL, as with `modality: "image"`), a fused pair
    /// `{"text": s, "image": s}`, or a plain string (a text). A pair is two engine inputs (its
    /// text, then its image): the limit of inputs per request counts both. `fusion` is the
    /// request's field, checked here against the server's default and projection; `model`
    /// is the request's (a `fusion.text_model` naming it is no other model).
    func itemInputs(
        _ items: [JSONValue], key: String, fusion: RequestFields?, model: String?
    ) throws(ServerError) -> OpenAIEmbeddingCall {
        var inputs: [EmbeddingInput] = []
        var layout: [OpenAIEmbeddingCall.Item] = []
        var names: [String] = []
        var pending: [PendingImage] = []
        var firstPair: String?
        for (index, item) in items.enumerated() {
            let path = "\(key)[\(index)]"
            let (text, image) = try parts(of: item, path: path, key: key)
            if let text, configuration.refuseEmptyStrings, text.isEmpty {
                throw ServerError(.invalidRequest, "'\(path)' has an empty text, which this server refuses", parameter: key)
            }
            switch (text, image) {
            case (let text?, let image?):
                firstPair = firstPair ?? path
                layout.append(.fused(text: inputs.count, image: inputs.count + 1))
                inputs.append(.text(text))
                names += ["\(path).text", "\(path).image"]
                inputs.append(Self.input(image, at: inputs.count, path: "\(path).image", pending: &pending))
            case (let text?, nil):
                layout.append(.input(inputs.count))
                inputs.append(.text(text))
                names.append(item.string == nil ? "\(path).text" : path)
            case (nil, let image?):
                layout.append(.input(inputs.count))
                names.append("\(path).image")
                inputs.append(Self.input(image, at: inputs.count, path: "\(path).image", pending: &pending))
            case (nil, nil):
                throw ServerError(
                    .invalidRequest, "'\(path)' must have \"text\", \"image\" or both (a fused pair)", parameter: key)
            }
        }
        guard inputs.count <= configuration.maxClientBatchSize else {
            throw ServerError(
                .tooManyInputs,
                "'\(key)' has \(items.count) items making \(inputs.count) inputs (a text and image pair is 2), more than "
                    + "the limit of \(configuration.maxClientBatchSize) per request",
                parameter: key)
        }
        var choice: FusionChoice?
        if let firstPair {
            var chosen = try fusionChoice(fusion, pair: firstPair)
            chosen.textModel = try textModel(fusion, choice: chosen, model: model)
            choice = chosen
        } else if fusion != nil {
            throw ServerError(
                .invalidRequest, "'fusion' applies to {\"text\": ..., \"image\": ...} pairs, and '\(key)' has none",
                parameter: "fusion")
        }
        var call = OpenAIEmbeddingCall(
            inputs: inputs, options: .init(), format: .float, items: layout, fusion: choice, inputNames: names)
        call.pendingImages = pending
        return call
    }

    /// The engine input of an image: its bytes, or an empty placeholder recorded as pending
    /// when it is a URL to fetch.
    private static func input(_ source: ImageSource, at index: Int, path: String, pending: inout [PendingImage]) -> EmbeddingInput {
        switch source {
        case .bytes(let data): return .image(data)
        case .url(let url):
            pending.append(PendingImage(input: index, url: url, path: path))
            return .image(Data())
        }
    }

    /// One item's text and image: a string is a text; an object has only `text` and `image`.
    private func parts(of item: JSONValue, path: String, key: String) throws(ServerError) -> (String?, ImageSource?) {
        switch item {
        case .string(let text): return (text, nil)
        case .object:
            let fields = try RequestFields(item, allowed: ["text", "image"], path: path)
            let image = try fields.string("image").map { (string) throws(ServerError) -> ImageSource in
                try imageSource(string, path: "\(path).image", key: key)
            }
            return (try fields.string("text"), image)
        default:
            throw ServerError(
                .invalidRequest,
                "'\(path)' is \(item.typeName): in a list with items, each is a string or an item "
                    + "({\"text\": ...}, {\"image\": ...}, {\"text\": ..., \"image\": ...}); token ids do not mix with items",
                parameter: key)
        }
    }

    /// How the pairs are fused: the request's `fusion` (`{"mode": "mean" | "concat", "weight": w}`),
    /// what it leaves out from the server's default; none at all is an error naming `pair`.
    private func fusionChoice(_ fusion: RequestFields?, pair: String) throws(ServerError) -> FusionChoice {
        let server = configuration.fusion
        var mode = server.mode
        if let name = try fusion?.string("mode") {
            guard let chosen = ServerFusion.Mode(rawValue: name) else {
                throw ServerError(
                    .invalidRequest, "'fusion.mode' must be \"mean\" or \"concat\", got \"\(name)\"", parameter: "fusion.mode")
            }
            mode = chosen
        }
        guard let mode else {
            throw ServerError(
                .invalidRequest,
                "'\(pair)' is a text and image pair, which needs 'fusion' ({\"mode\": \"mean\"} or {\"mode\": \"concat\"}): "
                    + "this server has no default fusion",
                parameter: fusion == nil ? "fusion" : "fusion.mode")
        }
        var weight = server.weight
        if let asked = try fusion?.number("weight") {
            guard (0...1).contains(asked) else {
                throw ServerError(
                    .invalidRequest, "'fusion.weight' must be between 0 and 1 (the text's share), got \(asked)",
                    parameter: "fusion.weight")
            }
            guard mode == .mean else {
                throw ServerError(
                    .invalidRequest, "'fusion.weight' applies to mode \"mean\", not \"\(mode.rawValue)\"", parameter: "fusion.weight")
            }
            weight = Float(asked)
        }
        if let projection = server.projection, mode != server.mode {
            throw ServerError(
                .invalidRequest,
                "'fusion.mode' is \"\(mode.rawValue)\", but this server's fused vectors go through its projection "
                    + "\(projection.lastPathComponent), made for \"\(server.mode?.rawValue ?? "")\"",
                parameter: "fusion.mode")
        }
        return FusionChoice(mode: mode, weight: mode == .mean ? weight : 0.5, projected: server.projection != nil)
    }

    /// `fusion.text_model`, another served model for the pairs' texts: only with `concat` (a
    /// mean adds vectors, which must share one model's space) and no projection (made for
    /// one model's fused size). Naming the request's own `model` is no other model (`nil`);
    /// whether the name is served is the route's to say (a 404, as for `model`).
    private func textModel(_ fusion: RequestFields?, choice: FusionChoice, model: String?) throws(ServerError) -> String? {
        guard let name = try fusion?.string("text_model"), name != model else { return nil }
        guard !name.isEmpty else {
            throw ServerError(.invalidRequest, "'fusion.text_model' must name a served model, got \"\"", parameter: "fusion.text_model")
        }
        guard choice.mode == .concat else {
            throw ServerError(
                .invalidRequest,
                "'fusion.text_model' \"\(name)\" embeds the texts in another space than the images' model: mode \"\(choice.mode.rawValue)\" "
                    + "adds the two vectors, which needs one model's space; use {\"mode\": \"concat\"} to join them",
                parameter: "fusion.text_model")
        }
        if let projection = configuration.fusion.projection {
            throw ServerError(
                .invalidRequest,
                "'fusion.text_model' cannot be used on this server: its fused vectors go through its projection "
                    + "\(projection.lastPathComponent), made for one model's own pairs",
                parameter: "fusion.text_model")
        }
        return name
    }

    /// Where images go, for the messages of text-only inputs.
    static let imageRoute =
        "images go to POST /v1/embeddings (items {\"image\": ...} or {\"text\": ..., \"image\": ...} in 'input', or \"modality\": \"image\")"

    /// A text that is an image's data URL (`data:image/…;base64,`): refused as a text.
    static func isImageURL(_ input: EmbeddingInput) -> Bool {
        guard case .text(let text) = input, text.utf8.count > 11, text.prefix(11).lowercased() == "data:image/" else { return false }
        return text.prefix(200).contains(";base64,")
    }

    static func isObject(_ value: JSONValue) -> Bool {
        if case .object = value { return true }
        return false
    }
}
