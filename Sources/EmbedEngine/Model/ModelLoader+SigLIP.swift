import EmbedCore
import EmbedTokenizers
import Foundation

/// What a SigLIP `tokenizer_config.json` says of padding: `pad_token`, a string or an added
/// token object (`{"content": "</s>", …}`). The file's other keys change nothing here.
struct SigLIPTokenizerConfiguration: Decodable, Sendable {
    var padToken: String?

    private struct AddedToken: Decodable { var content: String }

    enum CodingKeys: String, CodingKey {
        case padToken = "pad_token"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try? container.decodeIfPresent(String.self, forKey: .padToken) {
            padToken = text
        } else {
            padToken = try container.decodeIfPresent(AddedToken.self, forKey: .padToken)?.content
        }
    }
}

extension ModelLoader {
    /// `SiglipTokenizer`'s default pad token (transformers), used when `tokenizer_config.json`
    /// names none: `</s>`, id 1 in every `google/siglip-*` vocabulary.
    static let siglipDefaultPadToken = "</s>"
    /// `SiglipTextConfig`'s default `max_position_embeddings` (transformers), for a
    /// `config.json` whose `text_config` leaves it out (they only keep non-default values).
    static let siglipDefaultPositions = 64

    /// The text tower of a CLIP or SigLIP folder. CLIP: padded to the batch's longest row,
    /// with the tokenizer's pad id. SigLIP: as `processor(text, padding="max_length",
    /// max_length=64, truncation=True)` feeds it, every row padded to the text tower's
    /// positions with `tokenizer_config.json`'s `pad_token` (truncation, at the maximum
    /// length, keeps the closing `</s>` as the tokenizer's post-processor adds it).
    static func familyTextTower(_ files: CLIPFiles, tokenizer: Tokenizer) throws(EmbedError) -> TextTower {
        switch files.family {
        case .clip:
            return TextTower(tokenizer: ModelTokenizer(tokenizer))
        case .siglip:
            let configuration: SigLIPTokenizerConfiguration? = try ModelFiles.readJSON(files.root, "tokenizer_config.json")
            let padToken = configuration?.padToken ?? siglipDefaultPadToken
            guard let padId = tokenizer.id(forToken: padToken) else {
                let source = configuration?.padToken == nil ? "SiglipTokenizer's default pad token" : "tokenizer_config.json pad_token"
                throw EmbedError(.invalidModel, "\(source) \"\(padToken)\" is not in \(files.root.path)/tokenizer.json")
            }
            let positions = files.configuration.textConfig?.maxPositionEmbeddings ?? siglipDefaultPositions
            guard positions >= 1 else {
                throw EmbedError(.invalidModel, "config.json text_config.max_position_embeddings must be at least 1, not \(positions)")
            }
            return TextTower(
                tokenizer: ModelTokenizer(tokenizer, padId: padId), outputModules: OutputModules(steps: []),
                padding: .fixedUnmasked(positions))
        }
    }
}
