public import EmbedTokenizers

extension EmbeddingScheduler {
    /// Tokenizes `texts` without truncation on the tokenization thread, admitted like an
    /// embedding request, each preceded by the prompt `prompt` resolves to. Throws
    /// ``EmbedError/Code/invalidInput`` for the hashing engine, which has no tokenizer, and
    /// for a prompt name the model does not have.
    public func tokenize(
        _ texts: [String], addSpecialTokens: Bool = true, prompt: EmbedOptions = .init()
    ) async throws(EmbedError) -> [Encoding] {
        guard let tokenizer = embedder.tokenizer else {
            throw EmbedError(.invalidInput, "the hashing engine has no tokenizer")
        }
        let prefix = try embedder.prompt(for: prompt) ?? ""
        try admit(limit: configuration.maxConcurrentRequests)
        defer { release() }
        return try await tokenization.run { flag in
            Result { () throws(EmbedError) -> [Encoding] in
                var encodings: [Encoding] = []
                encodings.reserveCapacity(texts.count)
                for text in texts {
                    if flag.isCancelled { throw EmbedError(.cancelled, "the request was cancelled") }
                    encodings.append(tokenizer.encode(prefix + text, addSpecialTokens: addSpecialTokens))
                }
                return encodings
            }
        }.get()
    }
}
