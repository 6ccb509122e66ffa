import EmbedCore
public import EmbedEngine

extension EmbeddingModel {
    /// A model for tests: `backend` (a ``RecordingBackend`` by default) behind a
    /// ``WordTokenizer``, with the given maximum length, normalisation and prompts.
    public static func testing(
        backend: RecordingBackend = RecordingBackend(), maxLength: Int = 64, normalize: Bool = true,
        prompts: PromptSet = PromptSet(), text: Bool = true
    ) -> EmbeddingModel {
        var info = ModelInfo(
            name: "test-model", dimension: backend.dimension, maxLength: MaxLength(value: maxLength, source: "test"),
            normalize: normalize, normalizeSource: "test", engine: backend.engineName)
        info.prompts = prompts
        return EmbeddingModel(info: info, backend: backend, text: text ? TextTower(tokenizer: WordTokenizer()) : nil)
    }
}
