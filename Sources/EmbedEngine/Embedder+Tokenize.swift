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

extension Embedder {
    /// The text of each sequence of `ids`, as `tokenizers`' `decode` gives it
    /// (``EmbedTokenizers/Tokenizer/decode(_:skipSpecialTokens:)``), on the tokenization
    /// threads, admitted like an embedding request. Throws
    /// ``EmbedError/Code/invalidInput`` for a model without a tokenizer, a decoder that is
    /// not implemented (see ``EmbedTokenizers/Tokenizer/decodeUnsupportedReason``) and an
    /// id outside the vocabulary (naming the sequence and the index).
    public func decode(_ ids: [[Int]], skipSpecialTokens: Bool = true) async throws(EmbedError) -> [String] {
        guard let tokenizer else {
            throw EmbedError(.invalidInput, "\(info.name) has no tokenizer to decode with (\(info.engine))", subject: .input)
        }
        if let reason = tokenizer.decodeUnsupportedReason { throw EmbedError(.invalidInput, reason, subject: .input) }
        try admit(limit: configuration.batching.maxConcurrentRequests)
        defer { release() }
        return try await tokenizers.map(count: ids.count, chunkSize: Self.tokenizationChunk) { range throws(EmbedError) in
            try range.map { (row: Int) throws(EmbedError) -> String in
                do throws(TokenizerError) {
                    return try tokenizer.decode(ids[row], skipSpecialTokens: skipSpecialTokens)
                } catch {
                    throw EmbedError(.invalidInput, "sequence \(row): \(error.message)", subject: .input)
                }
            }
        }
    }
}
