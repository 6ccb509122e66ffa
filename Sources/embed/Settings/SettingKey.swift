import EmbedCore
import EmbedEngine
import EmbedOpenVINO
import EmbedORT
import EmbedServer
import Foundation
import Logging

/// One configuration key: its dotted name, what it accepts, its help text, how a raw value
/// is parsed into ``Settings`` and how the current value is shown. The one place where
/// setting values are validated.
struct SettingKey {
    /// The dotted name used in files, `--set` and (upper-cased) environment variables.
    let name: String
    /// What it accepts, for messages and the documentation.
    let type: String
    /// What it does.
    let help: String
    /// Whether the value is a list.
    let isList: Bool
    /// Parses `value` into `settings`; throws a message saying what is expected.
    let apply: (inout Settings, SettingValue) throws(SettingsError) -> Void
    /// The current value.
    let render: (Settings) -> SettingValue

    /// The environment variable that sets this key: `EMBED_` and the name in upper case with
    /// `_` for `.` (`onnx.providers` → `EMBED_ONNX_PROVIDERS`).
    var environmentName: String { "EMBED_" + name.uppercased().replacingOccurrences(of: ".", with: "_") }
}

// MARK: - Key builders

extension SettingKey {
    static func string(_ name: String, _ path: WritableKeyPath<Settings, String>, help: String) -> SettingKey {
        SettingKey(name: name, type: "string", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = try scalar(value)
        } render: { .scalar($0[keyPath: path]) }
    }

    static func optionalString(_ name: String, _ path: WritableKeyPath<Settings, String?>, help: String) -> SettingKey {
        SettingKey(name: name, type: "string or null", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = value == .null ? nil : try scalar(value)
        } render: { $0[keyPath: path].map(SettingValue.scalar) ?? .null }
    }

    static func bool(_ name: String, _ path: WritableKeyPath<Settings, Bool>, help: String) -> SettingKey {
        SettingKey(name: name, type: "boolean", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = try boolean(value)
        } render: { .scalar($0[keyPath: path] ? "true" : "false") }
    }

    static func optionalBool(_ name: String, _ path: WritableKeyPath<Settings, Bool?>, help: String) -> SettingKey {
        SettingKey(name: name, type: "boolean or null", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = value == .null ? nil : try boolean(value)
        } render: { $0[keyPath: path].map { .scalar($0 ? "true" : "false") } ?? .null }
    }

    static func int(_ name: String, _ path: WritableKeyPath<Settings, Int>, min: Int, max: Int? = nil, help: String) -> SettingKey {
        let type = max.map { "integer \(min)…\($0)" } ?? "integer ≥ \(min)"
        return SettingKey(name: name, type: type, help: help, isList: false) { (settings, value) throws(SettingsError) in
            let number = try integer(value, min: min)
            if let max, number > max { throw SettingsError("expected an integer from \(min) to \(max), got \(number)") }
            settings[keyPath: path] = number
        } render: { .scalar(String($0[keyPath: path])) }
    }

    static func number(_ name: String, _ path: WritableKeyPath<Settings, Double>, min: Double, help: String) -> SettingKey {
        // Not `min.formatted()`: locale-aware formatting loaded ICU's locale data at every start (~2.4 MB resident, measured).
        let shown = min == min.rounded() ? String(Int(min)) : String(min)
        return SettingKey(name: name, type: "number ≥ \(shown)", help: help, isList: false) { (settings, value) throws(SettingsError) in
            let text = try scalar(value)
            guard let number = Double(text), number.isFinite else { throw SettingsError("expected a number, got '\(text)'") }
            guard number >= min else { throw SettingsError("expected a number ≥ \(shown), got \(text)") }
            settings[keyPath: path] = number
        } render: { .scalar(String($0[keyPath: path])) }
    }

    /// An optional string that is never shown (rendered as `<redacted>`).
    static func secret(_ name: String, _ path: WritableKeyPath<Settings, String?>, help: String) -> SettingKey {
        SettingKey(name: name, type: "string or null", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = value == .null ? nil : try scalar(value)
        } render: { $0[keyPath: path] == nil ? .null : .scalar("<redacted>") }
    }

    static func optionalInt(_ name: String, _ path: WritableKeyPath<Settings, Int?>, min: Int, help: String) -> SettingKey {
        SettingKey(name: name, type: "integer ≥ \(min) or null", help: help, isList: false) { (settings, value) throws(SettingsError) in
            settings[keyPath: path] = value == .null ? nil : try integer(value, min: min)
        } render: { $0[keyPath: path].map { .scalar(String($0)) } ?? .null }
    }

    static func choice<T>(
        _ name: String, _ path: WritableKeyPath<Settings, T>, _ cases: [T], name caseName: @escaping (T) -> String, help: String
    ) -> SettingKey {
        let names = cases.map(caseName)
        return SettingKey(name: name, type: "one of " + names.joined(separator: ", "), help: help, isList: false) {
            (settings, value) throws(SettingsError) in
            settings[keyPath: path] = try pick(value, cases, names)
        } render: { .scalar(caseName($0[keyPath: path])) }
    }

    static func optionalChoice<T>(
        _ name: String, _ path: WritableKeyPath<Settings, T?>, _ cases: [T], name caseName: @escaping (T) -> String, help: String
    ) -> SettingKey {
        let names = cases.map(caseName)
        return SettingKey(name: name, type: "one of " + names.joined(separator: ", ") + ", or null", help: help, isList: false) {
            (settings, value) throws(SettingsError) in
            settings[keyPath: path] = value == .null ? nil : try pick(value, cases, names)
        } render: { $0[keyPath: path].map { .scalar(caseName($0)) } ?? .null }
    }

    static var providers: SettingKey {
        let names = ORTExecutionProvider.byShortName.keys.sorted()
        return SettingKey(
            name: "onnx.providers", type: "list of " + names.joined(separator: ", "),
            help: "Execution providers in order of preference; each is used only if this ONNX Runtime has it and it registers, else the next (CPU last when fallback allows it).",
            isList: true
        ) { (settings, value) throws(SettingsError) in
            var providers: [ORTExecutionProvider] = []
            for item in try list(value) {
                guard let provider = ORTExecutionProvider.byShortName[item.lowercased()] else {
                    throw SettingsError("unknown execution provider '\(item)': expected \(names.joined(separator: ", "))")
                }
                if !providers.contains(provider) { providers.append(provider) }
            }
            guard !providers.isEmpty else { throw SettingsError("expected at least one of \(names.joined(separator: ", "))") }
            settings.onnx.providers = providers
        } render: { settings in
            .list(settings.onnx.providers.map { provider in
                ORTExecutionProvider.byShortName.first { $0.value == provider }?.key ?? provider.name
            })
        }
    }

    static var fallback: SettingKey {
        let options: [(String, EmbedderConfiguration.Fallback)] = [
            ("cpu", .cpu), ("fp32", .fp32), ("onnxruntime", .onnxRuntime), ("hashing", .hashing),
        ]
        return SettingKey(
            name: "fallback", type: "list of cpu, fp32, onnxruntime, hashing (or none)",
            help: "What may replace what fails at load: cpu (no configured provider works), fp32 (a quantized model fails), onnxruntime (runtime openvino is missing or cannot compile the model), hashing (the model cannot be used at all; vectors in another space).",
            isList: true
        ) { (settings, value) throws(SettingsError) in
            var fallback: EmbedderConfiguration.Fallback = []
            for item in try list(value) where item != "none" {
                guard let option = options.first(where: { $0.0 == item.lowercased() }) else {
                    throw SettingsError("unknown fallback '\(item)': expected cpu, fp32, onnxruntime, hashing or none")
                }
                fallback.insert(option.1)
            }
            settings.fallback = fallback
        } render: { settings in .list(options.filter { settings.fallback.contains($0.1) }.map(\.0)) }
    }

    static var prompt: SettingKey {
        SettingKey(
            name: "prompt", type: "string or null",
            help: "A literal prompt put before texts that choose none; \"\" for no prompt at all. Quote it in the environment or --set to keep a trailing space (EMBED_PROMPT='\"query: \"').",
            isList: false
        ) { (settings, value) throws(SettingsError) in
            if value == .null {
                settings.prompt = nil
                return
            }
            let text = try scalar(value)
            let quoted = text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"")
            settings.prompt = quoted ? String(text.dropFirst().dropLast()) : text
        } render: { $0.prompt.map(SettingValue.scalar) ?? .null }
    }

    static var endpoint: SettingKey {
        SettingKey(
            name: "hub.endpoint", type: "http(s) URL",
            help: "The Hugging Face compatible hub to download from (also HF_ENDPOINT).", isList: false
        ) { (settings, value) throws(SettingsError) in
            let text = try scalar(value)
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw SettingsError("expected an http or https URL, got '\(text)'")
            }
            settings.hub.endpoint = text
        } render: { .scalar($0.hub.endpoint) }
    }

    static var token: SettingKey {
        secret(
            "hub.token", \.hub.token,
            help: "A hub access token, sent as a bearer header; gated and private models need one (also HF_TOKEN, HF_HOME/token).")
    }
}

// MARK: - Value parsing

extension SettingKey {
    static func scalar(_ value: SettingValue) throws(SettingsError) -> String {
        switch value {
        case .scalar(let text): return text
        case .list: throw SettingsError("expected a single value, got a list")
        case .null: throw SettingsError("expected a value, got null")
        }
    }

    static func list(_ value: SettingValue) throws(SettingsError) -> [String] {
        switch value {
        case .list(let items): return items
        case .scalar(let text):
            if case .list(let items) = SettingValue.text(text, listKey: true) { return items }
            return []
        case .null: return []
        }
    }

    static func boolean(_ value: SettingValue) throws(SettingsError) -> Bool {
        let text = try scalar(value).lowercased()
        if ["true", "yes", "on", "1"].contains(text) { return true }
        if ["false", "no", "off", "0"].contains(text) { return false }
        throw SettingsError("expected true or false, got '\(text)'")
    }

    static func integer(_ value: SettingValue, min: Int) throws(SettingsError) -> Int {
        let text = try scalar(value)
        guard let number = Int(text) else { throw SettingsError("expected an integer, got '\(text)'") }
        guard number >= min else { throw SettingsError("expected an integer ≥ \(min), got \(number)") }
        return number
    }

    static func pick<T>(_ value: SettingValue, _ cases: [T], _ names: [String]) throws(SettingsError) -> T {
        let text = try scalar(value)
        guard let index = names.firstIndex(where: { $0.lowercased() == text.lowercased() }) else {
            throw SettingsError("expected one of \(names.joined(separator: ", ")), got '\(text)'")
        }
        return cases[index]
    }
}
