import EmbedEngine
import Foundation
import Logging

/// `embed serve` with several models: `model` (the default, served as `server.model_id`)
/// and each of `server.models`, `[name=]model`.
extension Settings {
    /// One model to serve: its served name (`nil`: the model's own, one model only), where
    /// it comes from and the settings it is loaded with.
    struct ServedModelSettings {
        var name: String?
        var source: ModelSource
        var settings: Settings
    }

    /// The keys that describe one model's files rather than how models run: they apply to
    /// `model` only; each of `server.models` takes its own files' values.
    static let defaultModelOnlyKeys = [
        "revision", "tokenizer", "onnx.model_path", "max_length", "normalize", "pooling", "prompt_name", "prompt",
    ]

    /// The models `embed serve` serves, the default first. One model: served as
    /// `server.model_id`, else as the loaded model's own name (as always). Several: each
    /// named by `name=` (the first by `server.model_id`), else by the model as given: a hub
    /// id, a folder's name or an `.onnx` file's name without the extension. Shared are the
    /// runtime, provider, batching, cache and image settings; see ``defaultModelOnlyKeys``.
    func servedModels(logger: Logger, sources: SettingsLoader.Loaded? = nil) throws -> [ServedModelSettings] {
        let source = try modelSource()
        guard !server.models.isEmpty else { return [ServedModelSettings(name: server.modelID, source: source, settings: self)] }
        var others: [ServedModelSettings] = []
        var base = self
        base.revision = Settings.defaults(environment: [:]).revision
        (base.tokenizer, base.onnx.modelPath, base.maxLength, base.normalize) = (nil, nil, nil, nil)
        (base.pooling, base.promptName, base.prompt) = (nil, nil, nil)
        base.server.models = []
        for item in server.models {
            let (name, model) = Self.splitServedModel(item)
            var settings = base
            settings.model = model
            let other = try settings.modelSource()
            others.append(ServedModelSettings(name: name ?? Self.servedName(of: other), source: other, settings: settings))
        }
        if let sources {
            let set = Self.defaultModelOnlyKeys.filter { sources.sources[$0] != nil }
            if !set.isEmpty {
                logger.notice(
                    "these settings apply to the default model only; the others take their own files' values",
                    metadata: ["keys": "\(set.joined(separator: ", "))", "default_model": "\(model ?? "-")"])
            }
        }
        return [ServedModelSettings(name: server.modelID ?? Self.servedName(of: source), source: source, settings: self)] + others
    }

    /// `name=model` as its name and model; an item that is an existing path, or has no `=`,
    /// is a model without a name.
    static func splitServedModel(_ item: String) -> (name: String?, model: String) {
        guard !FileManager.default.fileExists(atPath: item), let equals = item.firstIndex(of: "=") else { return (nil, item) }
        return (String(item[..<equals]), String(item[item.index(after: equals)...]))
    }

    /// The name a model is served under when none is given (a server of several models):
    /// the model as given, without its folders.
    static func servedName(of source: ModelSource) -> String {
        switch source {
        case .hub: source.description
        case .folder(let url): url.standardizedFileURL.lastPathComponent
        case .onnxFile(let url, _): url.deletingPathExtension().lastPathComponent
        }
    }
}
