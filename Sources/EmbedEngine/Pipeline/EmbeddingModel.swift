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

    /// Creates a model.
    public init(info: ModelInfo, backend: any EmbeddingBackend, text: TextTower?) {
        self.info = info
        self.backend = backend
        self.text = text
    }

    /// The towers this model has.
    public var towers: Set<Tower> {
        text == nil ? [] : [.text]
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
        guard let text else {
            let has = towers.map(\.rawValue).sorted().joined(separator: ", ")
            throw EmbedError(
                .invalidInput, "input \(index): \(info.name) has no text tower (it has: \(has.isEmpty ? "none" : has))",
                subject: .input)
        }
        return text
    }
}
