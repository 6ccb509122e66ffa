import EmbedCore
import EmbedTokenizers

/// The one place where inputs are checked against the model: token counts against the
/// maximum length, token ids against the vocabulary, `dimensions` against the vector size.
extension Embedder {
    /// Checks `options` against the model (`dimensions` between 1 and the model's dimension,
    /// a prompt name the model has).
    public func validate(_ options: EmbeddingOptions) throws(EmbedError) {
        if case .hashing = pipeline, !options.prompt.isEmpty {
            throw EmbedError(
                .invalidInput, "the hashing engine has no prompts: prompt_name and prompt are not available", subject: .prompt)
        }
        _ = try prompt(for: options.prompt)
        if let dimensions = options.dimensions, !(1...info.dimension).contains(dimensions) {
            throw EmbedError(
                .invalidInput,
                "dimensions must be between 1 and the model's dimension \(info.dimension), got \(dimensions)",
                subject: .dimensions)
        }
    }

    /// Whether vectors made with `options` are L2-normalised.
    func normalizes(_ options: EmbeddingOptions) -> Bool {
        options.normalize ?? info.normalize
    }

    /// A request's prompt text (see ``prompt(for:)``) with its token count: made once per
    /// request and passed to ``prepare(_:index:options:prompt:)`` for each input.
    func requestPrompt(_ text: String?) -> RequestPrompt? {
        guard case .transformer(let pipeline) = pipeline, let text else { return nil }
        return RequestPrompt(text: text, tokenCount: pipeline.promptTokenCount(text))
    }

    /// Checks and tokenizes the input at `index` of a request, after `prompt` when it is a
    /// text. Blocking for long texts: call it on the engine's threads.
    func prepare(
        _ input: EmbeddingInput, index: Int, options: EmbeddingOptions, prompt: RequestPrompt?
    ) throws(EmbedError) -> PreparedInput {
        let normalize = normalizes(options)
        switch pipeline {
        case .hashing(let engine):
            guard case .text(let text) = input else {
                throw EmbedError(.invalidInput, "input \(index): the hashing engine takes texts, not token ids")
            }
            let words = min(HashingEngine.words(of: text).count, engine.maxWords)
            return PreparedInput(payload: .text(text), tokenCount: words, length: max(words, 1), normalize: normalize)
        case .transformer(let pipeline):
            var prompted = input
            var promptLength = 0
            if case .text(let text) = input, let prompt {
                prompted = .text(prompt.text + text)
                promptLength = prompt.tokenCount
            }
            let encoding = try encode(prompted, index: index, options: options, pipeline: pipeline)
            return PreparedInput(
                payload: .tokens(encoding), tokenCount: encoding.count, length: encoding.count, normalize: normalize,
                promptLength: promptLength)
        }
    }

    private func encode(
        _ input: EmbeddingInput, index: Int, options: EmbeddingOptions, pipeline: TransformerPipeline
    ) throws(EmbedError) -> Encoding {
        let maxLength = pipeline.truncation.maxLength
        let truncation = Truncation(maxLength: maxLength, direction: options.truncationDirection)
        switch input {
        case .text(let text):
            if options.truncate { return pipeline.tokenizer.encode(text, truncation: truncation) }
            let encoding = pipeline.tokenizer.encode(text)
            try checkLength(encoding.count, index: index, maxLength: maxLength)
            return encoding
        case .tokenIds(let ids):
            guard !ids.isEmpty else { throw EmbedError(.invalidInput, "input \(index): an empty list of token ids") }
            let vocabulary = pipeline.tokenizer.vocabularySize
            if let bad = ids.firstIndex(where: { !(0..<vocabulary).contains($0) }) {
                throw EmbedError(
                    .invalidInput,
                    "input \(index): token id \(ids[bad]) at position \(bad) is outside the vocabulary (0..<\(vocabulary))")
            }
            if !options.truncate { try checkLength(ids.count, index: index, maxLength: maxLength) }
            var kept = ids
            if ids.count > maxLength {
                kept = options.truncationDirection == .right ? Array(ids.prefix(maxLength)) : Array(ids.suffix(maxLength))
            }
            return Encoding(
                ids: kept, typeIds: [Int](repeating: 0, count: kept.count),
                attentionMask: [Int](repeating: 1, count: kept.count),
                specialTokensMask: [Int](repeating: 0, count: kept.count),
                offsets: [Range<Int>](repeating: 0..<0, count: kept.count))
        }
    }

    private func checkLength(_ count: Int, index: Int, maxLength: Int) throws(EmbedError) {
        guard count <= maxLength else {
            throw EmbedError(
                .inputTooLong,
                "input \(index) has \(count) tokens, more than the model's maximum of \(maxLength) (truncation is off)")
        }
    }

    /// Runs one batch of prepared inputs on the calling thread (one of the engine's) and
    /// returns their vectors, normalised as each asks, in order.
    func run(_ inputs: [PreparedInput]) throws(EmbedError) -> [[Float]] {
        switch pipeline {
        case .hashing(let engine):
            return inputs.map { input in
                guard case .text(let text) = input.payload else { return [] }
                return engine.embed(text).vector
            }
        case .transformer(let pipeline):
            var encodings: [Encoding] = []
            encodings.reserveCapacity(inputs.count)
            for input in inputs {
                guard case .tokens(let encoding) = input.payload else {
                    throw EmbedError(.runtime, "a text prepared for the hashing engine reached the transformer")
                }
                encodings.append(encoding)
            }
            let promptLengths = inputs.contains { $0.promptLength > 0 } ? inputs.map(\.promptLength) : []
            return try pipeline.run(encodings, promptLengths: promptLengths, dimension: info.dimension) {
                inputs[$0].normalize
            }
        }
    }

    /// `vector` cut to `options.dimensions` (Matryoshka), re-normalised when vectors are normalised.
    func applyDimensions(_ vector: [Float], options: EmbeddingOptions) throws(EmbedError) -> [Float] {
        guard let dimensions = options.dimensions, dimensions < vector.count else { return vector }
        do {
            return try VectorMath.truncated(vector, to: dimensions, normalize: normalizes(options))
        } catch {
            throw EmbedError(.invalidInput, error.message, subject: .dimensions)
        }
    }
}
