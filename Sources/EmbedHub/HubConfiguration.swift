public import Foundation

/// Where models come from and where they are kept.
///
/// Defaults follow the Hugging Face Python tools, so that both share one cache:
/// endpoint `HF_ENDPOINT` (else `https://huggingface.co`), token `HF_TOKEN` (else the file
/// `$HF_HOME/token`), cache `HF_HUB_CACHE` (else `$HF_HOME/hub`, where `HF_HOME` defaults to
/// `$XDG_CACHE_HOME/huggingface` or `~/.cache/huggingface`), offline when `HF_HUB_OFFLINE`
/// is `1`/`true`/`yes`/`on`.
public struct HubConfiguration: Sendable, Equatable {
    /// The hub's base URL.
    public var endpoint: URL
    /// A token sent as `Authorization: Bearer …` (gated and private models need one).
    public var token: String?
    /// The cache folder (the one that holds `models--owner--name` folders).
    public var cacheDirectory: URL
    /// Use the cache only, never the network.
    public var offline: Bool

    /// Creates a configuration.
    public init(endpoint: URL, token: String?, cacheDirectory: URL, offline: Bool) {
        self.endpoint = endpoint
        self.token = token
        self.cacheDirectory = cacheDirectory
        self.offline = offline
    }

    /// The configuration the Hugging Face tools would use with `environment`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> HubConfiguration {
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        let hfHome = nonEmpty(environment["HF_HOME"]).map { URL(fileURLWithPath: $0) }
            ?? (nonEmpty(environment["XDG_CACHE_HOME"]).map { URL(fileURLWithPath: $0) } ?? home.appendingPathComponent(".cache"))
                .appendingPathComponent("huggingface")
        let cache = nonEmpty(environment["HF_HUB_CACHE"]).map { URL(fileURLWithPath: $0) }
            ?? hfHome.appendingPathComponent("hub")
        let endpoint = nonEmpty(environment["HF_ENDPOINT"]).flatMap { URL(string: $0) }
            ?? URL(string: "https://huggingface.co")!
        let tokenFile = (try? String(contentsOf: hfHome.appendingPathComponent("token"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let token = nonEmpty(environment["HF_TOKEN"]) ?? nonEmpty(tokenFile)
        return HubConfiguration(endpoint: endpoint, token: token, cacheDirectory: cache, offline: isTrue(environment["HF_HUB_OFFLINE"]))
    }

    /// Whether an environment value means "on".
    public static func isTrue(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["1", "true", "yes", "on"].contains(value.lowercased())
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
