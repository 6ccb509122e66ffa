public import EmbedTokenizers

extension Embedder {
    /// Tokenizes `texts` without truncation on the tokenization threads, admitted like an
    /// embedding request, each preceded by the prompt `prompt` resolves to. Throws
    /// ``EmbedError/Code/invalidInput`` for a model without a tokenizer (the hashing engine)
    /// and for a prompt name the model does not have.
    public func tokenize(
        _ texts: [String], addSpecialTokens: Bool = true, prompt: PromptChoice = .automatic
    ) async throws(EmbedError) -> [Encoding] {
        guard let tokenizer else {
            throw EmbedError(.invalidInput, "\(info.name) has no tokenizer to show (\(info.engine))", subject: .input)
        }
        let prefix = try self.prompt(for: prompt) ?? ""
        try admit(limit: configuration.batching.maxConcurrentRequests)
        defer { release() }
        return try await tokenizers.map(count: texts.count, chunkSize: Self.tokenizationChunk) { range in
            range.map { tokenizer.encode(prefix + texts[$0], addSpecialTokens: addSpecialTokens) }
        }
    }
}
