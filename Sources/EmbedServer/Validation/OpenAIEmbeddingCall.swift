import EmbedCore
import EmbedEngine

/// A checked `POST /v1/embeddings`.
struct OpenAIEmbeddingCall: Sendable {
    /// How vectors are written.
    enum Format: Sendable {
        case float
        case base64
    }

    /// What the engine embeds.
    var inputs: [EmbeddingInput]
    var options: EmbeddingOptions
    var format: Format
    /// The answer's vectors: one per input, or (items) some fused from two inputs.
    var items: [Item]
    /// How pairs are fused; set only when `input` has a pair.
    var fusion: FusionChoice?
    /// Each input's name in messages (`input[2].image`) when `input` was a list of items.
    var inputNames: [String]?
    /// Images given as URLs, fetched before the engine runs (their inputs are empty until then).
    var pendingImages: [PendingImage] = []
    /// The model asked for (``ModelHosts`` chooses by it).
    var model: String?

    init(
        inputs: [EmbeddingInput], options: EmbeddingOptions, format: Format, items: [Item]? = nil,
        fusion: FusionChoice? = nil, inputNames: [String]? = nil
    ) {
        self.inputs = inputs
        self.options = options
        self.format = format
        self.items = items ?? inputs.indices.map(Item.input)
        self.fusion = fusion
        self.inputNames = inputNames
    }
}

extension OpenAIEmbeddingCall {
    /// Where an answer's vector comes from: one engine input, or a fused pair of them.
    enum Item: Sendable, Equatable {
        case input(Int)
        case fused(text: Int, image: Int)

        var isFused: Bool {
            if case .fused = self { return true }
            return false
        }
    }

    /// The answer's vectors, one per item, from the engine's, one per input; pairs fused as
    /// ``fusion`` says (on the engine's threads), through `projection` (the server's, loaded
    /// at start) when it has one; with another model's texts (``FusionChoice/textModel``),
    /// concatenated (``EmbedEngine/Fusion/concatenate(text:image:)``).
    func vectors(from embeddings: [[Float]], embedder: Embedder, projection: Fusion?) async throws(ServerError) -> [[Float]] {
        let pairs = items.compactMap { (item) -> (text: [Float], image: [Float])? in
            guard case .fused(let text, let image) = item else { return nil }
            return (embeddings[text], embeddings[image])
        }
        var fused: [[Float]] = []
        if let first = pairs.first {
            do throws(EmbedError) {
                if fusion?.textModel != nil {
                    fused = try await embedder.concatenate(pairs)
                } else {
                    fused = try await embedder.fuse(pairs, with: try makeFusion(dimension: first.text.count, projection: projection))
                }
            } catch {
                throw ServerError(error, inputField: "input")
            }
        }
        var next = fused.makeIterator()
        return items.map { item in
            switch item {
            case .input(let index): embeddings[index]
            case .fused: next.next() ?? []
            }
        }
    }

    private func makeFusion(dimension: Int, projection: Fusion?) throws(EmbedError) -> Fusion {
        // The validator lets no pair through without a choice, nor a projected one without a projection.
        guard let fusion else { throw EmbedError(.invalidConfiguration, "a fused pair without a fusion") }
        if fusion.projected {
            guard let projection else { throw EmbedError(.invalidConfiguration, "the fusion projection is not loaded") }
            return try projection.weighted(fusion.weight)
        }
        return try Fusion(mode: fusion.mode.engine, dimension: dimension, weight: fusion.weight)
    }

    /// The answer's `model`: the served name, with the fusion (`+fusion:mean`) when a vector is fused.
    func modelName(_ served: String) -> String {
        guard let fusion, items.contains(where: \.isFused) else { return served }
        return served + fusion.label
    }

    /// An engine error whose message starts `input K` with the item's name
    /// (`'input[3].image'`) instead, when the inputs were items.
    /// `among`: the inputs of the engine call that failed, when it embedded only those (its
    /// input k is input `among[k]` of the request).
    func naming(_ error: ServerError, among: [Int]? = nil) -> ServerError {
        guard error.message.hasPrefix("input ") else { return error }
        let rest = error.message.dropFirst(6)
        let digits = rest.prefix(while: \.isNumber)
        guard var index = Int(digits) else { return error }
        if let among {
            guard among.indices.contains(index) else { return error }
            index = among[index]
        }
        var renamed = error
        if let names = inputNames, names.indices.contains(index) {
            renamed.message = "'\(names[index])'" + rest.dropFirst(digits.count)
        } else {
            renamed.message = "input \(index)" + rest.dropFirst(digits.count)
        }
        return renamed
    }

    /// With another model's texts: the inputs that model embeds (the pairs' texts) and those
    /// the request's model embeds (the rest), as indices into ``inputs``.
    var crossModelSplit: (texts: [Int], others: [Int]) {
        let texts = items.compactMap { (item) -> Int? in
            guard case .fused(let text, _) = item else { return nil }
            return text
        }
        let textSet = Set(texts)
        return (texts, inputs.indices.filter { !textSet.contains($0) })
    }
}
