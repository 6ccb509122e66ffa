import Foundation
import Yams

/// Builds ``Settings`` from its sources, later ones overriding earlier ones:
///
/// 1. the defaults;
/// 2. a configuration file, YAML (`.yaml`, `.yml`) or JSON (`.json`): `--config`, else the
///    `EMBED_CONFIG` environment variable;
/// 3. the environment: first the variables the Hugging Face and ONNX Runtime tools read
///    (`HF_HOME`, `HF_HUB_CACHE`, `HF_ENDPOINT`, `HF_TOKEN`, `HF_HUB_OFFLINE`,
///    `ORT_DYLIB_PATH`), then `EMBED_<KEY>` for every key;
/// 4. command-line flags (`--batch-size`, `--set key=value`, …).
///
/// An unknown key in a file or `--set`, or an invalid value anywhere, is an error naming
/// the key, the value, where it came from and what is allowed. Unknown `EMBED_*` variables
/// are ignored (other tools share the prefix).
struct SettingsLoader {
    /// A value given on the command line, and the flag that gave it.
    struct Flag {
        var key: String
        var value: SettingValue
        var flag: String
    }

    /// Effective settings and where each value came from.
    struct Loaded {
        var settings: Settings
        /// Key → source, e.g. `file config.yaml`, `EMBED_MODEL`, `--batch-size`. Keys not
        /// listed have their default.
        var sources: [String: String]

        func source(of key: String) -> String { sources[key] ?? "default" }
    }

    var environment: [String: String]
    var configFile: String?
    var flags: [Flag]
    /// Whether Text Embeddings Inference's variables count too (`embed serve` only): see
    /// ``teiAliases``.
    var teiEnvironment = false

    /// TEI's environment variables and the keys they set, for `embed serve`; our `EMBED_*`
    /// names win when both are set. TEI's `HOSTNAME` is deliberately not read: shells,
    /// Docker and Kubernetes set it to the machine's, container's or pod's name, so reading
    /// it would move the server off loopback (its default here, where TEI's is 0.0.0.0)
    /// without anyone asking; `--hostname` and `EMBED_SERVER_HOST` set the address.
    static let teiAliases: [(key: String, variable: String)] = [
        ("model", "MODEL_ID"), ("server.port", "PORT"), ("server.api_key", "API_KEY"),
    ]

    func load() throws(SettingsError) -> Loaded {
        var loaded = Loaded(settings: .defaults(environment: environment), sources: [:])
        let keys = Dictionary(uniqueKeysWithValues: SettingKey.all.map { ($0.name, $0) })

        func apply(_ name: String, _ value: SettingValue, from source: String) throws(SettingsError) {
            guard let key = keys[name] else { throw Self.unknownKey(name, source: source, known: Array(keys.keys)) }
            do {
                try key.apply(&loaded.settings, value)
            } catch {
                throw SettingsError("invalid value \(value.display) for \(name) (from \(source)): \(error.message)")
            }
            loaded.sources[name] = source
        }

        if let file = configFile ?? nonEmpty(environment["EMBED_CONFIG"]) {
            for (name, value) in try Self.read(file) { try apply(name, value, from: "file \(file)") }
        }
        for (name, variable, value) in environmentAliases() { try apply(name, value, from: variable) }
        for key in SettingKey.all {
            guard let text = environment[key.environmentName] else { continue }
            try apply(key.name, .text(text, listKey: key.isList), from: key.environmentName)
        }
        for flag in flags { try apply(flag.key, flag.value, from: flag.flag) }
        try check(loaded)
        return loaded
    }

    /// Settings the Hugging Face and ONNX Runtime variables give.
    private func environmentAliases() -> [(String, String, SettingValue)] {
        var aliases: [(String, String, SettingValue)] = []
        if let home = nonEmpty(environment["HF_HOME"]) {
            aliases.append(("cache_dir", "HF_HOME", .scalar(URL(fileURLWithPath: home).appendingPathComponent("hub").path)))
            let tokenFile = URL(fileURLWithPath: home).appendingPathComponent("token")
            if let token = try? String(contentsOf: tokenFile, encoding: .utf8), let trimmed = nonEmpty(token.trimmingCharacters(in: .whitespacesAndNewlines)) {
                aliases.append(("hub.token", "HF_HOME/token", .scalar(trimmed)))
            }
        }
        let direct = [
            ("cache_dir", "HF_HUB_CACHE"), ("hub.endpoint", "HF_ENDPOINT"), ("hub.token", "HF_TOKEN"),
            ("offline", "HF_HUB_OFFLINE"), ("onnx.library_path", "ORT_DYLIB_PATH"),
        ]
        for (key, variable) in direct {
            guard let value = nonEmpty(environment[variable]) else { continue }
            aliases.append((key, variable, .scalar(value)))
        }
        guard teiEnvironment else { return aliases }
        for (key, variable) in Self.teiAliases {
            guard let value = nonEmpty(environment[variable]) else { continue }
            aliases.append((key, variable, .scalar(value)))
        }
        return aliases
    }

    /// Rules that involve more than one key.
    private func check(_ loaded: Loaded) throws(SettingsError) {
        let settings = loaded.settings
        if settings.onnx.quantized != nil, settings.onnx.variant != .auto {
            throw SettingsError(
                "onnx.quantized (from \(loaded.source(of: "onnx.quantized"))) only applies with onnx.variant auto, "
                    + "but onnx.variant is \(settings.onnx.variant.rawValue) (from \(loaded.source(of: "onnx.variant")))")
        }
        if settings.prompt != nil, settings.promptName != nil {
            throw SettingsError(
                "give either a prompt (from \(loaded.source(of: "prompt"))) or a prompt name (from \(loaded.source(of: "prompt_name"))), not both")
        }
    }

    /// The settings of a configuration file, as dotted keys.
    static func read(_ path: String) throws(SettingsError) -> [(key: String, value: SettingValue)] {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SettingsError("cannot read configuration file \(path): \(error.localizedDescription)")
        }
        let node: ConfigNode
        do {
            switch url.pathExtension.lowercased() {
            case "json": node = try JSONDecoder().decode(ConfigNode.self, from: data)
            case "yaml", "yml":
                guard let text = String(data: data, encoding: .utf8) else {
                    throw SettingsError("configuration file \(path) is not valid UTF-8")
                }
                node = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                    ? .map([:]) : try YAMLDecoder().decode(ConfigNode.self, from: text)
            default:
                throw SettingsError("configuration file \(path): expected a .yaml, .yml or .json file")
            }
        } catch let error as SettingsError {
            throw error
        } catch {
            throw SettingsError("configuration file \(path) is not valid \(url.pathExtension.uppercased()): \(error)")
        }
        guard case .map = node else { throw SettingsError("configuration file \(path): expected a map of keys to values") }
        let entries = try node.flattened()
        var seen: Set<String> = []
        for entry in entries where !seen.insert(entry.key).inserted {
            throw SettingsError("configuration file \(path) sets \(entry.key) twice")
        }
        return entries
    }

    static func unknownKey(_ name: String, source: String, known: [String]) -> SettingsError {
        let close = known.filter { distance($0, name) <= 3 || $0.split(separator: ".").last == name.split(separator: ".").last }.sorted()
        let hint = close.isEmpty ? "" : " (did you mean \(close.joined(separator: " or "))?)"
        return SettingsError("unknown configuration key '\(name)' (from \(source))\(hint); `embed config --keys` lists them all")
    }

    /// Levenshtein distance, for suggestions.
    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

private func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
}
