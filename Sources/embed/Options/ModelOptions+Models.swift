import ArgumentParser

extension ModelOptions {
    /// `--model` as settings: one model sets `model`; for `embed serve` (`serving`) each is
    /// `[name=]model`, the first setting `model` (and `server.model_id` when named), the
    /// others `server.models`. Other commands take one.
    func modelFlags(serving: Bool) throws -> [SettingsLoader.Flag] {
        guard let first = model.first else { return [] }
        guard serving else {
            guard model.count == 1 else {
                throw ValidationError("--model was given \(model.count) times; only embed serve serves several models")
            }
            return [.init(key: "model", value: .scalar(first), flag: "--model")]
        }
        let (name, path) = Settings.splitServedModel(first)
        var flags: [SettingsLoader.Flag] = [.init(key: "model", value: .scalar(path), flag: "--model")]
        if let name { flags.append(.init(key: "server.model_id", value: .scalar(name), flag: "--model \(first)")) }
        if model.count > 1 {
            flags.append(.init(key: "server.models", value: .list(Array(model.dropFirst())), flag: "--model (2nd and later)"))
        }
        return flags
    }

    /// The served name the first `--model` gives (`name=model`), if any.
    var firstModelName: String? { model.first.flatMap { Settings.splitServedModel($0).name } }
}
