import EmbedORT

/// What the engine feeds a model and reads back, checked against the ONNX file.
struct ModelSignature: Sendable, Equatable {
    /// The text inputs an embedding model may declare.
    enum TextInput: String, Sendable, CaseIterable {
        case inputIds = "input_ids"
        case attentionMask = "attention_mask"
        case tokenTypeIds = "token_type_ids"
    }

    /// The inputs the model declares, with their element type (int64 or int32).
    var inputs: [(input: TextInput, type: ORTElementType)]
    /// The output read back.
    var output: String
    /// `true` when the output is already one vector per text (`[batch, dim]`), `false` when
    /// it holds token vectors (`[batch, sequence, dim]`) to pool.
    var outputIsPooled: Bool
    /// The output's last dimension when the file fixes it.
    var dimension: Int?

    static func == (lhs: ModelSignature, rhs: ModelSignature) -> Bool {
        lhs.inputs.map(\.input) == rhs.inputs.map(\.input) && lhs.inputs.map(\.type) == rhs.inputs.map(\.type)
            && lhs.output == rhs.output && lhs.outputIsPooled == rhs.outputIsPooled && lhs.dimension == rhs.dimension
    }

    /// Output names that hold token vectors, then pooled vectors, in order of preference.
    static let tokenOutputs = ["last_hidden_state", "token_embeddings"]
    static let pooledOutputs = ["sentence_embedding", "pooler_output", "embeddings"]

    init(inputs declaredInputs: [ORTTensorInfo], outputs declaredOutputs: [ORTTensorInfo]) throws(EmbedError) {
        let expected = "inputs among \(TextInput.allCases.map(\.rawValue).joined(separator: ", ")) (int64 or int32, [batch, sequence])"
        var inputs: [(TextInput, ORTElementType)] = []
        for declared in declaredInputs {
            guard let input = TextInput(rawValue: declared.name) else {
                throw EmbedError(
                    .invalidModel,
                    "the model has an input this engine cannot feed: \(declared). Expected \(expected); "
                        + "the file has \(Self.list(declaredInputs))")
            }
            guard declared.kind == .tensor, declared.elementType == .int64 || declared.elementType == .int32,
                declared.shape.count == 2
            else {
                throw EmbedError(.invalidModel, "input \(declared) has the wrong type or rank; expected \(expected)")
            }
            inputs.append((input, declared.elementType))
        }
        guard inputs.contains(where: { $0.0 == .inputIds }) else {
            throw EmbedError(
                .invalidModel, "the model has no input_ids input. Expected \(expected); the file has \(Self.list(declaredInputs))")
        }
        self.inputs = inputs

        let floatTypes: [ORTElementType] = [.float, .float16, .double]
        let usable = declaredOutputs.filter { $0.kind == .tensor && floatTypes.contains($0.elementType) }
        let chosen =
            Self.tokenOutputs.lazy.compactMap { name in usable.first { $0.name == name && $0.shape.count == 3 } }.first
            ?? Self.pooledOutputs.lazy.compactMap { name in usable.first { $0.name == name && $0.shape.count == 2 } }.first
            ?? usable.first { $0.shape.count == 3 || $0.shape.count == 2 }
        guard let chosen else {
            throw EmbedError(
                .invalidModel,
                "the model has no embedding output: expected last_hidden_state float[batch, sequence, dim] (pooled here) "
                    + "or a pooled float[batch, dim] embedding; the file has \(Self.list(declaredOutputs))")
        }
        output = chosen.name
        outputIsPooled = chosen.shape.count == 2
        dimension = chosen.shape.last.flatMap { $0 > 0 ? $0 : nil }
    }

    private static func list(_ infos: [ORTTensorInfo]) -> String {
        infos.isEmpty ? "none" : infos.map(\.description).joined(separator: ", ")
    }
}
