public import EmbedEngine
import Foundation

/// A model a server serves: the name requests choose it by (`model` on `/v1/embeddings`,
/// `/v1/models/{id}`) and how it is loaded.
public struct ServedModel: Sendable {
    /// The served name; `nil` (a server of one model only): the loaded model's own name.
    public var name: String?
    /// Loads the model once the server listens.
    public var load: @Sendable () async throws -> Embedder

    /// A model loaded by `load` once the server listens, served as `name`.
    public init(name: String?, load: @escaping @Sendable () async throws -> Embedder) {
        self.name = name
        self.load = load
    }

    /// A model that is ready, served as `name`.
    public init(name: String?, embedder: Embedder) {
        self.name = name
        self.load = { embedder }
    }
}

/// Every model a server serves, each with its own ``ModelHost`` (and so its own embedder,
/// batch queue and limits); the first is the default: the one TEI's routes (which have no
/// `model` field) and requests without `model` use.
///
/// How `model` chooses: absent or empty, the default. A server of one model takes any other
/// name too (OpenAI clients always send one, LangChain `text-embedding-ada-002` by default),
/// as it always has. A server of several answers a name it does not serve with a 404
/// naming those it does.
public final class ModelHosts: Sendable {
    /// One served model.
    public struct Entry: Sendable {
        /// The served name; `nil`: the loaded model's own name (one model only).
        public let name: String?
        /// Where the model is in its life.
        public let host: ModelHost

        /// The name the model answers to: its served name, else the loaded model's own.
        func servedName(_ embedder: Embedder) -> String { name ?? embedder.info.name }
    }

    /// The models, the default first.
    public let entries: [Entry]

    /// Hosts for `models`, each loading (or ready when `ready` gives its embedder, with
    /// `fusion`'s projection checked against it). At least one model; with several, each
    /// needs a name and the names must differ.
    init(_ models: [ServedModel], ready: [Embedder?], fusion: ServerFusion) throws(ServerError) {
        try Self.check(models.map(\.name))
        let isMultiModel = models.count > 1
        var entries: [Entry] = []
        for (model, embedder) in zip(models, ready) {
            guard let embedder else {
                entries.append(Entry(name: model.name, host: ModelHost()))
                continue
            }
            let projection = try Self.projection(for: embedder, fusion: fusion, isMultiModel: isMultiModel)
            entries.append(Entry(name: model.name, host: ModelHost(embedder: embedder, projection: projection)))
        }
        self.entries = entries
    }

    /// `fusion`'s projection for `embedder`: with one model, that model's (as it has always
    /// been); with several, only a model that embeds images (it alone fuses pairs of its own)
    /// takes it, and it must fit that model's dimension.
    func projection(for embedder: Embedder, fusion: ServerFusion) throws(ServerError) -> Fusion? {
        try Self.projection(for: embedder, fusion: fusion, isMultiModel: isMultiModel)
    }

    private static func projection(for embedder: Embedder, fusion: ServerFusion, isMultiModel: Bool) throws(ServerError) -> Fusion? {
        if isMultiModel, !embedder.info.towers.contains(where: { $0.tower == .vision }) { return nil }
        return try fusion.loadProjection(dimension: embedder.info.dimension)
    }

    /// The default model's host.
    public var first: ModelHost { entries[0].host }

    /// Whether more than one model is served (then `model` must name one of them).
    var isMultiModel: Bool { entries.count > 1 }

    /// The served names (an unnamed single model: nothing until it is loaded).
    var knownNames: [String] {
        entries.compactMap { entry in
            if let name = entry.name { return name }
            if case .ready(let embedder, _) = entry.host.current { return embedder.info.name }
            return nil
        }
    }

    /// The model `requested` names (see the type's rule), ready, or the error that says why not.
    func embedder(forModel requested: String?) throws(ServerError) -> (embedder: Embedder, name: String, loadedAt: Date) {
        let entry = try self.entry(forModel: requested)
        let (embedder, loadedAt) = try entry.host.embedder()
        return (embedder, entry.servedName(embedder), loadedAt)
    }

    /// The default model, ready (TEI's routes).
    func defaultEmbedder() throws(ServerError) -> (embedder: Embedder, name: String, loadedAt: Date) {
        try embedder(forModel: nil)
    }

    /// Every model, ready, in order; the first that is not makes the 503.
    func all() throws(ServerError) -> [(embedder: Embedder, name: String, loadedAt: Date)] {
        try entries.map { (entry) throws(ServerError) in
            let (embedder, loadedAt) = try entry.host.embedder()
            return (embedder, entry.servedName(embedder), loadedAt)
        }
    }

    /// The entry `requested` names.
    func entry(forModel requested: String?) throws(ServerError) -> Entry {
        guard let requested, !requested.isEmpty, isMultiModel else { return entries[0] }
        return try entry(named: requested, parameter: "model")
    }

    /// The entry served as `name`, whatever the number of models (for fields of this
    /// server's own, such as `fusion.text_model`, that no client sends by habit); a name
    /// not served is a 404 naming those that are, about `parameter`.
    func entry(named name: String, parameter: String) throws(ServerError) -> Entry {
        if let entry = entries.first(where: { $0.name == name }) { return entry }
        if !isMultiModel, entries[0].name == nil, knownNames == [name] { return entries[0] }
        throw ServerError(
            .notFound,
            "no model '\(name)' here; this server serves \(knownNames.map { "'\($0)'" }.joined(separator: ", "))",
            parameter: parameter)
    }

    /// Refuses new work on every model from now on.
    func beginDraining() {
        for entry in entries { entry.host.beginDraining() }
    }

    /// At least one model; several each named, no name twice.
    static func check(_ names: [String?]) throws(ServerError) {
        guard !names.isEmpty else { throw ServerError(.invalidConfiguration, "a server needs at least one model") }
        guard names.count > 1 else {
            if names[0] == "" { throw ServerError(.invalidConfiguration, "the served model name must not be empty") }
            return
        }
        if let unnamed = names.firstIndex(where: { $0 == nil || $0 == "" }) {
            throw ServerError(
                .invalidConfiguration, "model \(unnamed + 1) of \(names.count) has no served name; a server of several models needs one for each")
        }
        var seen: Set<String> = []
        let repeated = names.compactMap { $0 }.filter { !seen.insert($0).inserted }
        guard repeated.isEmpty else {
            throw ServerError(
                .invalidConfiguration,
                "the served model names must differ: \(Set(repeated).sorted().map { "'\($0)'" }.joined(separator: ", ")) "
                    + "named more than once; give each model its own name")
        }
    }
}
