import ArgumentParser
@testable import embed
import EmbedServer
import Foundation
import Logging
import Synchronization
import Testing

/// TEI's launcher names for `embed serve` (`--hostname`, `--auto-truncate`, `--json-output`,
/// `MODEL_ID`, `PORT`, `API_KEY`), and JSON log lines.
struct TEIAliasTests {
    func load(_ environment: [String: String], serving: Bool, flags: [SettingsLoader.Flag] = []) throws -> SettingsLoader.Loaded {
        try SettingsLoader(environment: ["HOME": "/home/u"].merging(environment) { $1 }, configFile: nil, flags: flags, teiEnvironment: serving).load()
    }

    @Test func teiVariablesCountForServeAndEmbedVariablesWin() throws {
        let tei = ["MODEL_ID": "BAAI/bge-small-en-v1.5", "PORT": "3000", "API_KEY": "k1", "HOSTNAME": "pod-7f9c"]
        let served = try load(tei, serving: true)
        #expect(served.settings.model == "BAAI/bge-small-en-v1.5")
        #expect(served.source(of: "model") == "MODEL_ID")
        #expect(served.settings.server.port == 3000)
        #expect(served.settings.server.apiKey == "k1")
        #expect(served.settings.server.host == "127.0.0.1", "HOSTNAME (a pod's or machine's name) is never the address")
        #expect(served.source(of: "server.host") == "default")

        let other = try load(tei, serving: false)
        #expect(other.settings.model == nil, "only embed serve reads TEI's variables")
        #expect(other.settings.server.port == 8080)

        let ours = try load(tei.merging(["EMBED_SERVER_PORT": "9000", "EMBED_MODEL": "local"]) { $1 }, serving: true)
        #expect(ours.settings.server.port == 9000)
        #expect(ours.source(of: "server.port") == "EMBED_SERVER_PORT")
        #expect(ours.settings.model == "local")

        let badPort = #expect(throws: SettingsError.self) { try load(["PORT": "http"], serving: true) }
        #expect(badPort?.message.contains("(from PORT)") == true, "\(String(describing: badPort))")
    }

    @Test func teiFlagsSetTheSameKeys() throws {
        let options = try ServeOptions.parse(["--hostname", "0.0.0.0", "--auto-truncate", "--json-output"])
        let flags = options.flagSettings()
        let settings = try load([:], serving: true, flags: flags).settings
        #expect(settings.server.host == "0.0.0.0")
        #expect(settings.server.truncate)
        #expect(settings.logFormat == .json)
        #expect(flags.contains { $0.key == "server.truncate" && $0.flag == "--auto-truncate" })
        #expect(throws: (any Error).self) { try ServeOptions.parse(["--auto-truncate", "--no-truncate"]) }
        #expect(try load([:], serving: true, flags: ServeOptions.parse([]).flagSettings()).settings.logFormat == .text)
    }

    @Test func corsAndLogFormatAreSettings() throws {
        let loaded = try load(
            ["EMBED_SERVER_CORS_ALLOW_ORIGINS": "https://a.example,https://b.example:8443", "EMBED_LOG_FORMAT": "json"],
            serving: true)
        #expect(loaded.settings.server.corsAllowOrigins == ["https://a.example", "https://b.example:8443"])
        #expect(try loaded.settings.serverConfiguration().corsAllowOrigins == ["https://a.example", "https://b.example:8443"])
        #expect(loaded.settings.logFormat == .json)
        let printed = SettingsReport.yaml(loaded)
        #expect(printed.contains(#"server.cors_allow_origins: ["https://a.example", "https://b.example:8443"]"#), "\(printed)")
        #expect(printed.contains(#"log_format: "json""#), "\(printed)")
        #expect(throws: SettingsError.self) { try load(["EMBED_SERVER_CORS_ALLOW_ORIGINS": "a.example"], serving: true) }
        #expect(throws: SettingsError.self) { try load(["EMBED_LOG_FORMAT": "xml"], serving: true) }
    }

    @Test func jsonLogLinesAreJSONObjects() throws {
        let line = JSONLogHandler.line(
            timestamp: Date(timeIntervalSince1970: 0), level: .notice, label: "swift-embed",
            message: "listening \"here\"\n\tnext\u{1}", metadata: ["status": "200", "path": "/embed", "level": "spoof"],
            error: "boom")
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["timestamp"] == "1970-01-01T00:00:00Z")
        #expect(object["level"] == "notice", "metadata cannot override the fixed fields")
        #expect(object["label"] == "swift-embed")
        #expect(object["message"] == "listening \"here\"\n\tnext\u{1}")
        #expect(object["status"] == "200")
        #expect(object["path"] == "/embed")
        #expect(object["error"] == "boom")
        #expect(object.count == 7)
    }

    @Test func theHandlerWritesOneLinePerEvent() throws {
        let lines = LinesBox()
        var logger = Logger(label: "test") { JSONLogHandler(label: $0, write: { lines.append($0) }) }
        logger.logLevel = .info
        logger[metadataKey: "request"] = "r1"
        logger.debug("hidden")
        logger.info("served", metadata: ["status": "\(200)"])
        let written = lines.all
        #expect(written.count == 1)
        let first = try #require(written.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: String])
        #expect(object["message"] == "served")
        #expect(object["request"] == "r1")
        #expect(object["status"] == "200")
    }
}

/// Lines collected from a handler.
final class LinesBox: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
