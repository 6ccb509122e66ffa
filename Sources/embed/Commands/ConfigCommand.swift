import ArgumentParser
import Foundation

/// `embed config`: the effective configuration and where each value came from, or the keys.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the effective configuration (--print) or every key (--keys).",
        discussion: """
            Values come from, later overriding earlier: defaults, the configuration file \
            (--config or EMBED_CONFIG), the environment (HF_* and ORT_DYLIB_PATH, then EMBED_<KEY>), \
            command-line flags. The --print output is a valid YAML configuration file (the token \
            is redacted).
            """)

    @Flag(name: .long, help: "Print the effective configuration with the source of each value.")
    var print = false

    @Flag(name: .long, help: "List every key with its type, environment variable and help.")
    var keys = false

    @Option(name: .long, help: "Output format: yaml, json (with --print) or markdown (with --keys).")
    var format: Format = .yaml

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json, markdown }

    @OptionGroup var model: ModelOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard print != keys else { throw ValidationError("choose one of --print and --keys") }
        if print, format == .markdown { throw ValidationError("--print writes yaml or json") }
        if keys, format == .json { throw ValidationError("--keys writes yaml (a plain list) or markdown") }
    }

    func run() async throws {
        var output = StandardOutput()
        if keys {
            output.write(format == .markdown ? SettingsReport.keysMarkdown() : SettingsReport.keysText())
        } else {
            let loaded = try model.settings(logging: logging)
            output.write(format == .json ? try SettingsReport.json(loaded) : SettingsReport.yaml(loaded))
        }
        output.flush()
    }
}
