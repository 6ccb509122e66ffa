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

    /// The prompt text for a call: `choice` unless it is ``PromptChoice/automatic``, then
    /// `configured` (the embedder's default) unless that is automatic too, then the model's
    /// default prompt. `nil` means no prompt. The one place where prompt choices are checked.
    public func resolve(_ choice: PromptChoice, configured: PromptChoice = .automatic) throws(EmbedError) -> String? {
        let chosen = choice == .automatic ? configured : choice
        switch chosen {
        case .literal(let prompt):
            return prompt.isEmpty ? nil : prompt
        case .named(let name):
            guard let prompt = prompts[name] else {
                throw EmbedError(
                    .invalidInput,
                    "unknown prompt name '\(name)': "
                        + (prompts.isEmpty ? "the model has no prompts" : "the model has \(prompts.keys.sorted().joined(separator: ", "))"),
                    subject: .prompt)
            }
            return prompt.isEmpty ? nil : prompt
        case .automatic:
            return defaultPromptName.flatMap { prompts[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        }
    }
}
