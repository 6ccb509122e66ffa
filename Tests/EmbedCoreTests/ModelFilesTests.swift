import EmbedCore
import Foundation
import Testing

/// The sentence-transformers files of both generations (legacy and sentence-transformers 6),
/// prompts, Dense layers and the registry. Expected values follow from the inputs by hand.
struct ModelFilesTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    func refusal<T: Decodable>(_ type: T.Type, _ json: String) -> String {
        do {
            _ = try decode(T.self, json)
            return "no error"
        } catch let error as EmbedCoreError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func newPoolingFormatKeepsTheGivenOrder() throws {
        let single = try decode(PoolingConfiguration.self, #"{"embedding_dimension": 32, "pooling_mode": "mean_sqrt_len_tokens", "include_prompt": false}"#)
        #expect(single.pooling.modes == [.meanSqrtLen])
        #expect(single.pooling.includePrompt == false)
        #expect(single.wordEmbeddingDimension == 32)
        let list = try decode(PoolingConfiguration.self, #"{"embedding_dimension": 8, "pooling_mode": ["mean", "cls"]}"#)
        #expect(list.pooling.modes == [.mean, .cls])
        #expect(list.pooling.description == "mean+cls")
        // pooling_mode wins over legacy booleans, as in sentence-transformers.
        let both = try decode(PoolingConfiguration.self, #"{"pooling_mode": "lasttoken", "pooling_mode_mean_tokens": true}"#)
        #expect(both.pooling.modes == [.lastToken])
        #expect(refusal(PoolingConfiguration.self, #"{"pooling_mode": "median"}"#).contains("unknown pooling_mode 'median'"))
        #expect(refusal(PoolingConfiguration.self, #"{"pooling_mode": ["cls", "cls"]}"#).contains("twice"))
    }

    @Test func sentenceBertConfigurationOfBothGenerations() throws {
        let legacy = try decode(SentenceBertConfiguration.self, #"{"max_seq_length": 8192, "do_lower_case": false, "model_args": {"trust_remote_code": true}}"#)
        #expect(legacy.maxSeqLength == 8192)
        let current = try decode(SentenceBertConfiguration.self, """
            {"transformer_task": "feature-extraction", "modality_config": {"text": {"method": "forward", "method_output_name": "last_hidden_state"}},
             "module_output_name": "token_embeddings"}
            """)
        #expect(current.maxSeqLength == nil)
        let viaKwargs = try decode(SentenceBertConfiguration.self, #"{"processor_kwargs": {"model_max_length": 64, "trust_remote_code": true}}"#)
        #expect(viaKwargs.maxSeqLength == 64)
        #expect(refusal(SentenceBertConfiguration.self, #"{"transformer_task": "text-generation"}"#).contains("transformer_task 'text-generation'"))
        #expect(refusal(SentenceBertConfiguration.self, #"{"modality_config": {"image": {"method": "forward"}}}"#).contains("modality 'image'"))
        #expect(refusal(SentenceBertConfiguration.self, #"{"query_length": 32}"#).contains("query_length"))
        #expect(refusal(SentenceBertConfiguration.self, #"{"tokenizer_args": {"padding_side": "left"}}"#).contains("'padding_side'"))
    }

    @Test func promptsFile() throws {
        let file = try decode(SentenceTransformersConfiguration.self, """
            {"__version__": {"sentence_transformers": "6.2.0"}, "model_type": "SentenceTransformer",
             "prompts": {"query": "query: ", "document": "", "placeholder": null}, "default_prompt_name": "query",
             "similarity_fn_name": "cosine"}
            """)
        #expect(file.prompts == ["query": "query: ", "document": ""])
        #expect(file.defaultPromptName == "query")
        #expect(file.similarityFunction == "cosine")
        #expect(refusal(SentenceTransformersConfiguration.self, #"{"prompts": {"a": "a: "}, "default_prompt_name": "b"}"#).contains("default_prompt_name 'b'"))
        #expect(refusal(SentenceTransformersConfiguration.self, #"{"model_type": "SparseEncoder"}"#).contains("SparseEncoder"))
        #expect(refusal(SentenceTransformersConfiguration.self, #"{"prompts": {}, "extra": 1}"#).contains("'extra'"))
    }

    @Test func denseLayerComputesActivationOfAffineMapPlusResidual() throws {
        let config = try decode(DenseConfiguration.self, """
            {"in_features": 2, "out_features": 2, "bias": true, "activation_function": "torch.nn.modules.activation.ReLU", "use_residual": true}
            """)
        // W = [[1, 2], [-3, 1]], b = [0.5, 0]; x = [1, 1]: Wx + b = [3.5, -2]; ReLU → [3.5, 0]; + x → [4.5, 1].
        let layer = try DenseLayer(configuration: config, weight: [1, 2, -3, 1], bias: [0.5, 0])
        #expect(try layer.apply([1, 1]) == [4.5, 1])
        let tanh = try decode(DenseConfiguration.self, #"{"in_features": 1, "out_features": 1, "bias": false}"#)
        #expect(tanh.activation == .tanh, "sentence-transformers' default activation")
        let value = try DenseLayer(configuration: tanh, weight: [1], bias: []).apply([0.5])[0]
        #expect(abs(value - 0.46211716) <= 1e-6, "tanh(0.5), tolerance 1e-6")
        #expect(throws: EmbedCoreError.self) { try DenseLayer(configuration: config, weight: [1, 2, 3], bias: [0, 0]) }
        #expect(throws: EmbedCoreError.self) { try layer.apply([1, 2, 3]) }
        #expect(refusal(DenseConfiguration.self, #"{"in_features": 1, "out_features": 1, "activation_function": "my.Custom"}"#).contains("my.Custom"))
    }

    @Test func promptTokensAreLeftOutOfPoolingWhenAsked() throws {
        // One row of 4 tokens (dimension 1): values 10, 20, 30, 40; mask 1 1 1 0; a prompt of 2 tokens.
        let hidden: [Float] = [10, 20, 30, 40]
        let mask = [1, 1, 1, 0]
        func pool(_ mode: Pooling.Mode, include: Bool) throws -> Float {
            try Pooling([mode], includePrompt: include).pool(hidden, batch: 1, sequence: 4, dimension: 1, attentionMask: mask, promptLengths: [2])[0][0]
        }
        #expect(try pool(.mean, include: true) == 20)
        #expect(try pool(.mean, include: false) == 30)
        #expect(try pool(.cls, include: true) == 10)
        #expect(try pool(.cls, include: false) == 30, "the first token after the prompt")
        #expect(try pool(.weightedMean, include: false) == 30, "position weights are kept (3 for the only token left)")
        #expect(try pool(.lastToken, include: false) == 30)
        #expect(try Pooling([.mean], includePrompt: false).pool(hidden, batch: 1, sequence: 4, dimension: 1, attentionMask: mask, promptLengths: [5])[0][0] == 0)
    }
}
