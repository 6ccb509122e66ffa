import EmbedCore
import Foundation
import Testing

struct ConfigurationTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    @Test func poolingConfigOfMiniLM() throws {
        let config = try decode(PoolingConfiguration.self, """
            {"word_embedding_dimension": 384, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
             "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}
            """)
        #expect(config.wordEmbeddingDimension == 384)
        #expect(config.pooling == .mean)
    }

    @Test func poolingConfigWithUnknownKeyIsRefused() {
        do {
            _ = try decode(PoolingConfiguration.self, #"{"pooling_mode_mean_tokens": true, "pooling_mode_fancy": true}"#)
            Issue.record("expected an error")
        } catch let error as EmbedCoreError {
            #expect(error.message.contains("'pooling_mode_fancy'"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func poolingConfigWithoutModeIsRefused() {
        #expect(throws: EmbedCoreError.self) {
            try decode(PoolingConfiguration.self, #"{"pooling_mode_mean_tokens": false}"#)
        }
    }

    @Test func modulesAreClassified() throws {
        let modules = try decode([SentenceTransformersModule].self, """
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
             {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
             {"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.models.Normalize"},
             {"idx": 4, "name": "4", "path": "4_X", "type": "my.package.Custom"}]
            """)
        #expect(modules.map(\.kind) == [.transformer, .pooling, .dense, .normalize, .other("my.package.Custom")])
    }

    @Test func maxLengthFollowsSentenceTransformers() throws {
        let sbert = try decode(SentenceBertConfiguration.self, #"{"max_seq_length": 256, "do_lower_case": false}"#)
        let tokenizer = try decode(TokenizerConfiguration.self, #"{"model_max_length": 512, "do_lower_case": true}"#)
        let huge = try decode(TokenizerConfiguration.self, #"{"model_max_length": 1000000000000000019884624838656}"#)
        let model = try decode(TransformerConfiguration.self, #"{"model_type": "bert", "max_position_embeddings": 514, "hidden_size": 384}"#)
        #expect(MaxLength.resolve(sentenceBert: sbert, tokenizer: tokenizer, model: model)?.value == 256)
        #expect(MaxLength.resolve(sentenceBert: nil, tokenizer: tokenizer, model: model)?.value == 512)
        #expect(MaxLength.resolve(sentenceBert: nil, tokenizer: huge, model: model)?.value == 514)
        #expect(MaxLength.resolve(sentenceBert: nil, tokenizer: nil, model: nil) == nil)
        #expect(model.hiddenSize == 384)
        #expect(throws: EmbedCoreError.self) {
            try decode(SentenceBertConfiguration.self, #"{"max_seq_length": 128, "extra": 1}"#)
        }
    }
}
