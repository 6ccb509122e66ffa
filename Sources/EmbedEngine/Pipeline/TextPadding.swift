/// How a text tower pads the rows of a batch.
public enum TextPadding: Sendable, Equatable {
    /// To the batch's longest row with the pad id, attention mask 0 on the padding (BERT-like
    /// models, CLIP).
    case longest
    /// To exactly this many tokens with the pad id, attention mask 1 everywhere: SigLIP's text
    /// tower was trained on texts padded to 64 (`padding="max_length"`) without a mask and
    /// pools the last position, so the padding is part of its input. A graph that declares
    /// `attention_mask` gets ones, which is what no mask means.
    case fixedUnmasked(Int)

    /// The length of a batch whose longest row has `longest` tokens.
    func length(longest: Int) -> Int {
        switch self {
        case .longest: longest
        case .fixedUnmasked(let length): max(length, longest)
        }
    }

    /// Whether padding positions get attention mask 0.
    var masksPadding: Bool { self == .longest }
}
