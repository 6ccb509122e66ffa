import EmbedCore

import Foundation

/// The top level of `tokenizer.json`.
struct TokenizerFile: Decodable {
    var truncation: Truncation?
    var padding: Padding?
    var addedTokens: [AddedToken]
    var normalizer: Normalizer?
    var preTokenizer: PreTokenizer?
    var postProcessor: PostProcessor?
    var decoder: TokenDecoder
    var model: TokenizerModel

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(
            ["version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer", "post_processor",
             "decoder", "model"],
            in: "tokenizer.json")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        truncation = try container.optional(Truncation.self, "truncation")
        padding = try container.optional(Padding.self, "padding")
        addedTokens = try container.optional([AddedToken].self, "added_tokens") ?? []
        normalizer = try container.optional(Normalizer.self, "normalizer")
        preTokenizer = try container.optional(PreTokenizer.self, "pre_tokenizer")
        postProcessor = try container.optional(PostProcessor.self, "post_processor")
        // The decoder turns ids back into text, which embedding does not need: one that is
        // not implemented is recorded as such, and only decoding refuses.
        self.decoder = try container.optional(DecoderSection.self, "decoder")?.decoder ?? .none
        model = try container.value(TokenizerModel.self, "model")
    }
}
