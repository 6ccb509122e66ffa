import EmbedCore

/// What an ``Embedder`` runs: the model's description, its towers (how each kind of input
/// becomes a batch and what happens to the pooled vectors) and the backend that computes
/// them. ``Embedder/init(_:configuration:logger:progress:)`` loads one from files; a custom
/// backend (or the test double of `EmbedEngineTesting`) is served with
/// ``Embedder/init(model:configuration:logger:)``.
public struct EmbeddingModel: Sendable {
    /// What is served.
    public var info: ModelInfo
    /// What computes the vectors.
    public var backend: any EmbeddingBackend
    /// The text tower, `nil` when the model takes no text (a vision-only model).
    public var text: TextTower?
    /// The vision tower, `nil` when the model takes no images (a text model).
    public var vision: VisionTower?

    /// Creates a model.
    public init(info: ModelInfo, backend: any EmbeddingBackend, text: TextTower?, vision: VisionTower? = nil) {
        self.info = info
        self.backend = backend
        self.text = text
        self.vision = vision
    }

    /// The towers this model has.
    public var towers: Set<Tower> {
        var towers: Set<Tower> = []
        if text != nil { towers.insert(.text) }
        if vision != nil { towers.insert(.vision) }
        return towers
    }

    /// Checks that the backend runs every tower the model has.
    func validate() throws(EmbedError) {
        guard info.dimension >= 1, info.maxLength.value >= 1 else {
            throw EmbedError(
                .invalidConfiguration,
                "\(info.name): dimension and maximum length must be at least 1, got \(info.dimension) and \(info.maxLength.value)")
        }
        let missing = towers.subtracting(backend.towers)
        guard missing.isEmpty else {
            throw EmbedError(
                .invalidConfiguration,
                "\(info.name): the backend \(backend.engineName) does not run the \(missing.map(\.rawValue).sorted().joined(separator: ", ")) tower")
        }
    }

    /// The text tower, or an error naming the input that needs it.
    func textTower(for index: Int) throws(EmbedError) -> TextTower {
        guard let text else { throw missing(.text, index: index) }
        return text
    }

    /// The vision tower, or an error naming the input that needs it.
    func visionTower(for index: Int) throws(EmbedError) -> VisionTower {
        guard let vision else { throw missing(.vision, index: index) }
        return vision
    }

    private func missing(_ tower: Tower, index: Int) -> EmbedError {
        let has = towers.map(\.rawValue).sorted().joined(separator: ", ")
        let takes = tower == .text ? "texts" : "images"
        return EmbedError(
            .invalidInput,
            "input \(index): \(info.name) has no \(tower) tower, so it takes no \(takes) (it has: \(has.isEmpty ? "none" : has))",
            subject: .input)
    }

    // MARK: The towers' three jobs, for an input or a batch of one tower

    /// The input at `index` of a request as a row, by its tower (on the tokenization threads).
    func prepare(_ input: EmbeddingInput, index: Int, plan: RequestPlan, maxLength: Int) throws(EmbedError) -> PreparedInput {
        switch input.tower {
        case .text: try textTower(for: index).prepare(input, index: index, plan: plan, maxLength: maxLength)
        case .vision: try visionTower(for: index).prepare(input, index: index, plan: plan)
        }
    }

    /// Rows of `tower` as a batch.
    func collate(_ inputs: [PreparedInput], tower: Tower) throws(EmbedError) -> ModelBatch {
        switch tower {
        case .text: try textTower(for: 0).collate(inputs)
        case .vision: try visionTower(for: 0).collate(inputs)
        }
    }

    /// A pooled vector of `tower` through its output steps.
    func finish(_ pooled: [Float], tower: Tower, normalize: Bool) throws(EmbedError) -> [Float] {
        switch tower {
        case .text: try textTower(for: 0).finish(pooled, normalize: normalize, dimension: info.dimension)
        case .vision: try visionTower(for: 0).finish(pooled, normalize: normalize, dimension: info.dimension)
        }
    }
}
