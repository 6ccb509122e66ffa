import EmbedCore
import EmbedTokenizers
import Synchronization

/// The text side of a model: how a text or a list of token ids becomes a row of a batch
/// (the one implementation of tokenize-for-embedding, prompt prefixing included), how rows
/// become a ``ModelBatch``, and what happens to a pooled vector afterwards (Dense and
/// Normalize modules).
public struct TextTower: Sendable {
    /// The tokenizer.
    public let tokenizer: any TextTokenizing
    /// The steps after pooling.
    let outputModules: OutputModules
    /// How rows are padded to a batch.
    public let padding: TextPadding
    private let promptLengths = PromptLengths()

    /// A text tower whose pooled vectors are returned as they are (normalised when a
    /// request or the model asks for it).
    public init(tokenizer: any TextTokenizing) {
        self.init(tokenizer: tokenizer, outputModules: OutputModules(steps: []))
    }

    init(tokenizer: any TextTokenizing, outputModules: OutputModules, padding: TextPadding = .longest) {
        self.tokenizer = tokenizer
        self.outputModules = outputModules
        self.padding = padding
    }

    /// Checks and tokenizes the input at `index` of a request, after the request's prompt when
    /// it is a text. Blocking for long texts: called on the engine's tokenization threads.
    func prepare(_ input: EmbeddingInput, index: Int, plan: RequestPlan, maxLength: Int) throws(EmbedError) -> PreparedInput {
        let truncation = Truncation(maxLength: maxLength, direction: plan.options.truncationDirection)
        var promptLength = 0
        let encoding: Encoding
        switch input {
        case .text(let text):
            var prompted = text
            if let prompt = plan.prompt {
                prompted = prompt + text
                promptLength = promptTokenCount(prompt, maxLength: maxLength)
            }
            if plan.options.truncate {
                encoding = tokenizer.encode(prompted, truncation: truncation)
            } else {
                encoding = tokenizer.encode(prompted, truncation: nil)
                try Self.checkLength(encoding.count, index: index, maxLength: maxLength)
            }
        case .tokenIds(let ids):
            encoding = try Self.encoding(ofIds: ids, index: index, plan: plan, maxLength: maxLength, tokenizer: tokenizer)
        case .image:
            throw EmbedError(.invalidInput, "input \(index): the text tower takes texts and token ids, not images", subject: .input)
        }
        return PreparedInput(
            tower: .text, encoding: encoding, tokenCount: tokenizer.usageCount(of: encoding), normalize: plan.normalize,
            promptLength: promptLength)
    }

    /// `text` tokenized as the embedder does it: the model's maximum length, special tokens.
    func encode(_ text: String, maxLength: Int) -> Encoding {
        tokenizer.encode(text, truncation: Truncation(maxLength: maxLength))
    }

    /// The rows padded on the right as ``padding`` says (to the longest one, or to a fixed
    /// length): `input_ids`, `attention_mask` and `token_type_ids`, int64 `[rows, length]`.
    func collate(_ inputs: [PreparedInput]) -> ModelBatch {
        let rows = inputs.count
        let length = padding.length(longest: inputs.map(\.encoding.count).max() ?? 0)
        let total = rows * length
        var ids = [Int64](repeating: Int64(tokenizer.padId), count: total)
        var mask = [Int64](repeating: padding.masksPadding ? 0 : 1, count: total)
        var types = [Int64](repeating: 0, count: total)
        for (row, input) in inputs.enumerated() {
            let start = row * length
            let encoding = input.encoding
            for index in 0..<encoding.count {
                ids[start + index] = Int64(encoding.ids[index])
                mask[start + index] = Int64(encoding.attentionMask[index])
                types[start + index] = Int64(encoding.typeIds[index])
            }
        }
        let shape = [rows, length]
        return ModelBatch(
            tower: .text, rows: rows,
            tensors: [
                ModelBatch.inputIds: BatchTensor(shape: shape, values: .int64(ids)),
                ModelBatch.attentionMask: BatchTensor(shape: shape, values: .int64(mask)),
                ModelBatch.tokenTypeIds: BatchTensor(shape: shape, values: .int64(types)),
            ],
            promptLengths: inputs.contains { $0.promptLength > 0 } ? inputs.map(\.promptLength) : [])
    }

    /// A pooled vector through the output modules, normalised when `normalize` says so (which
    /// replaces a final Normalize module), checked against the model's `dimension`.
    func finish(_ pooled: [Float], normalize: Bool, dimension: Int) throws(EmbedError) -> [Float] {
        try outputModules.finish(pooled, normalize: normalize, dimension: dimension)
    }

    /// The number of leading tokens a prompt takes, as sentence-transformers counts them: the
    /// prompt tokenized alone (special tokens included, truncated like a text), less the
    /// closing special token when the tokenizer adds one. Worked out once per prompt.
    func promptTokenCount(_ prompt: String, maxLength: Int) -> Int {
        if let known = promptLengths.value(for: prompt) { return known }
        let encoding = tokenizer.encode(prompt, truncation: Truncation(maxLength: maxLength))
        let count = encoding.specialTokensMask.last.map { encoding.count - ($0 == 1 ? 1 : 0) } ?? 0
        promptLengths.insert(count, for: prompt)
        return count
    }

    private static func encoding(
        ofIds ids: [Int], index: Int, plan: RequestPlan, maxLength: Int, tokenizer: any TextTokenizing
    ) throws(EmbedError) -> Encoding {
        guard let vocabulary = tokenizer.vocabularySize else {
            throw EmbedError(.invalidInput, "input \(index): this model takes texts, not token ids", subject: .input)
        }
        guard !ids.isEmpty else { throw EmbedError(.invalidInput, "input \(index): an empty list of token ids", subject: .input) }
        if let bad = ids.firstIndex(where: { !(0..<vocabulary).contains($0) }) {
            throw EmbedError(
                .invalidInput,
                "input \(index): token id \(ids[bad]) at position \(bad) is outside the vocabulary (0..<\(vocabulary))",
                subject: .input)
        }
        if !plan.options.truncate { try checkLength(ids.count, index: index, maxLength: maxLength) }
        var kept = ids
        if ids.count > maxLength {
            kept = plan.options.truncationDirection == .right ? Array(ids.prefix(maxLength)) : Array(ids.suffix(maxLength))
        }
        let count = kept.count
        return Encoding(
            ids: kept, typeIds: [Int](repeating: 0, count: count), attentionMask: [Int](repeating: 1, count: count),
            specialTokensMask: [Int](repeating: 0, count: count), offsets: [Range<Int>](repeating: 0..<0, count: count))
    }

    private static func checkLength(_ count: Int, index: Int, maxLength: Int) throws(EmbedError) {
        guard count <= maxLength else {
            throw EmbedError(
                .inputTooLong,
                "input \(index) has \(count) tokens, more than the model's maximum of \(maxLength) (truncation is off)",
                subject: .input)
        }
    }
}

/// Prompt token counts already worked out (a model has a handful of prompts).
private final class PromptLengths: Sendable {
    private let known = Mutex<[String: Int]>([:])

    func value(for prompt: String) -> Int? { known.withLock { $0[prompt] } }

    func insert(_ count: Int, for prompt: String) {
        known.withLock { known in
            // Literal prompts come from callers: keep the memo bounded.
            if known.count >= 64 { known.removeAll() }
            known[prompt] = count
        }
    }
}
