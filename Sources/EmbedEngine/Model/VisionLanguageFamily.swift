/// The image–text model families a folder's `config.json` `model_type` names. Both are
/// loaded the same way (the towers found from the ONNX files' inputs and outputs, a
/// `preprocessor_config.json` for images, vectors compared by cosine); they differ in the
/// outputs they pool into and in how texts are padded.
enum VisionLanguageFamily: String, Sendable, CaseIterable {
    /// `model_type: clip`: texts padded to the batch's longest, with an attention mask.
    case clip
    /// `model_type: siglip`: texts padded to the text tower's positions (64) with the pad
    /// token, `input_ids` only (the model was trained without a mask and pools the last
    /// position, see ``TextPadding/fixedUnmasked(_:)``).
    case siglip

    /// The family `config.json`'s `model_type` names, `nil` for any other model.
    init?(modelType: String?) {
        guard let modelType, let family = Self(rawValue: modelType) else { return nil }
        self = family
    }

    /// The name in messages.
    var displayName: String {
        switch self {
        case .clip: "CLIP"
        case .siglip: "SigLIP"
        }
    }

    /// The outputs read as a text vector, the first present used. SigLIP's
    /// `SiglipTextModel.pooler_output` is its head's output, what `get_text_features`
    /// returns (transformers.js' `text_model.onnx` has it); CLIP's is before the projection.
    var textOutputs: [String] {
        switch self {
        case .clip: ["text_embeds"]
        case .siglip: ["text_embeds", "pooler_output"]
        }
    }

    /// The outputs read as an image vector, the first present used (SigLIP's vision
    /// `pooler_output` is its attention-pooling head's output, `get_image_features`).
    var imageOutputs: [String] {
        switch self {
        case .clip: ["image_embeds"]
        case .siglip: ["image_embeds", "pooler_output"]
        }
    }
}
