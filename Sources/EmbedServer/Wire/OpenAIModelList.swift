/// `GET /v1/models` and `GET /v1/models/{id}`, as OpenAI sends them.
struct OpenAIModel: Encodable, Sendable {
    var id: String
    var object = "model"
    /// Unix time at which the model was loaded.
    var created: Int
    var ownedBy = "swift-embed"

    enum CodingKeys: String, CodingKey {
        case id, object, created
        case ownedBy = "owned_by"
    }
}

/// The list form of ``OpenAIModel``.
struct OpenAIModelList: Encodable, Sendable {
    var object = "list"
    var data: [OpenAIModel]
}
