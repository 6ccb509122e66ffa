import Foundation

/// How `embed config` shows settings and keys.
enum SettingsReport {
    /// The effective settings as a YAML file, each value followed by its source.
    static func yaml(_ loaded: SettingsLoader.Loaded) -> String {
        var lines = ["# swift-embed effective configuration", "# sources, later overriding earlier: defaults < file < environment < flags"]
        let rows = SettingKey.all.map { key in (key.name + ": " + yamlValue(key.render(loaded.settings), key: key), loaded.source(of: key.name)) }
        let width = rows.map(\.0.count).max() ?? 0
        for (text, source) in rows { lines.append(text.padding(toLength: width + 2, withPad: " ", startingAt: 0) + "# " + source) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The effective settings as JSON: key → value and source.
    static func json(_ loaded: SettingsLoader.Loaded) throws -> String {
        var object: [String: Any] = [:]
        for key in SettingKey.all {
            let value: Any = switch key.render(loaded.settings) {
            case .null: NSNull()
            case .list(let items): items
            case .scalar(let text): typedScalar(text, key: key)
            }
            object[key.name] = ["value": value, "source": loaded.source(of: key.name)]
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Every key, one block each.
    static func keysText() -> String {
        SettingKey.all.map { key in
            "\(key.name)  (\(key.type); env \(key.environmentName))\n    \(key.help)\n    default: \(yamlValue(key.render(.defaults(environment: [:])), key: key))"
        }.joined(separator: "\n") + "\n"
    }

    /// Every key as a Markdown table (the table in docs/configuration.md).
    static func keysMarkdown() -> String {
        var lines = ["| Key | Type | Default | Environment | What it does |", "|---|---|---|---|---|"]
        for key in SettingKey.all {
            let defaultValue = key.name == "cache_dir" || key.name == "hub.token"
                ? "see below" : "`" + yamlValue(key.render(.defaults(environment: [:])), key: key) + "`"
            lines.append("| `\(key.name)` | \(key.type) | \(defaultValue) | `\(key.environmentName)` | \(key.help) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func yamlValue(_ value: SettingValue, key: SettingKey) -> String {
        switch value {
        case .null: "null"
        case .list(let items): "[" + items.map(quoted).joined(separator: ", ") + "]"
        case .scalar(let text): ["integer", "boolean", "number"].contains { key.type.hasPrefix($0) } ? text : quoted(text)
        }
    }

    private static func typedScalar(_ text: String, key: SettingKey) -> Any {
        if key.type.hasPrefix("integer"), let number = Int(text) { return number }
        if key.type.hasPrefix("number"), let number = Double(text) { return number }
        if key.type.hasPrefix("boolean") { return text == "true" }
        return text
    }

    /// A double-quoted YAML (and JSON) string.
    private static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
