/// Per-call choices for ``Embedder/embed(_:options:)``: which prompt goes before each text.
///
/// A prompt is text put before every input, as sentence-transformers' `encode(prompt=…,
/// prompt_name=…)` does: E5 models want `query: ` or `passage: `, BGE models an instruction
/// before queries. Give a ``promptName`` (one of the model's prompts, see
/// ``ModelInfo/prompts``) or a literal ``prompt``, not both. With neither, the embedder's
/// configured default (``EmbedderConfiguration/defaultOptions``) applies, then the model's
/// `default_prompt_name`. An empty literal prompt means "no prompt at all".
public struct EmbedOptions: Sendable, Equatable, Hashable {
    /// The name of one of the model's prompts, e.g. `query`.
    public var promptName: String?
    /// A literal prompt, e.g. `"Represent this sentence for searching relevant passages: "`.
    public var prompt: String?

    /// Creates options.
    public init(promptName: String? = nil, prompt: String? = nil) {
        self.promptName = promptName
        self.prompt = prompt
    }

    /// Whether the options choose nothing (the defaults apply).
    public var isEmpty: Bool { promptName == nil && prompt == nil }
}
