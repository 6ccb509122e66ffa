import ArgumentParser

extension SettingKey {
    /// A flag's help: `text`, the key's default as the settings define it (or `defaultText`
    /// where the default is a rule, not a value) and the key's name, so that `--help` never
    /// repeats a default by hand.
    static func flagHelp(_ text: String, key name: String, defaultText: String? = nil) -> ArgumentHelp {
        let shown = defaultText ?? defaultValue(of: name)
        return ArgumentHelp("\(text)\(shown.map { " (default: \($0))" } ?? ""). [\(name)]")
    }

    /// The default value of the key `name`, as a flag would spell it (`nil`: no default).
    static func defaultValue(of name: String) -> String? {
        guard let key = all.first(where: { $0.name == name }) else { return nil }
        switch key.render(.defaults(environment: [:])) {
        case .scalar(let text): return text
        case .list(let items): return items.joined(separator: ",")
        case .null: return nil
        }
    }
}
