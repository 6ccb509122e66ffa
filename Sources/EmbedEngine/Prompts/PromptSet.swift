/// A model's prompts and which one applies by default, with where they came from.
public struct PromptSet: Sendable, Equatable {
    /// Prompts by name.
    public var prompts: [String: String]
    /// The prompt used when a call chooses none (`nil`: no prompt).
    public var defaultPromptName: String?
    /// Where the prompts come from: `config_sentence_transformers.json`, `registry`, or `none`.
    public var source: String

    /// Creates a prompt set.
    public init(prompts: [String: String] = [:], defaultPromptName: String? = nil, source: String = "none") {
        self.prompts = prompts
        self.defaultPromptName = defaultPromptName
        self.source = source
    }

    /// The prompt text for a call: `options` when they choose something, else `configured`
    /// (the embedder's default options), else the model's default prompt. `nil` or an empty
    /// result means no prompt. The one place where prompt choices are checked.
    public func resolve(_ options: EmbedOptions, configured: EmbedOptions = .init()) throws(EmbedError) -> String? {
        let chosen = options.isEmpty ? configured : options
        if chosen.prompt != nil, chosen.promptName != nil {
            throw EmbedError(.invalidInput, "give either a prompt or a prompt name, not both", subject: .prompt)
        }
        if let prompt = chosen.prompt { return prompt.isEmpty ? nil : prompt }
        if let name = chosen.promptName {
            guard let prompt = prompts[name] else {
                throw EmbedError(
                    .invalidInput,
                    "unknown prompt name '\(name)': "
                        + (prompts.isEmpty ? "the model has no prompts" : "the model has \(prompts.keys.sorted().joined(separator: ", "))"),
                    subject: .prompt)
            }
            return prompt.isEmpty ? nil : prompt
        }
        return defaultPromptName.flatMap { prompts[$0] }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
