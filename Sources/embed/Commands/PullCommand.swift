import ArgumentParser
import EmbedHub
import Foundation

/// `embed pull`: download a model from the hub into the shared cache.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download a model from a Hugging Face compatible hub into the cache.",
        discussion: """
            Fetches only what embedding needs: the tokenizer and configuration files, the \
            sentence-transformers module configurations and one ONNX file (with its external data). \
            Files are checked against the hub's checksums, resumed after an interruption and shared \
            with the Hugging Face Python tools' cache. Asks the hub for the revision's latest commit \
            unless offline. Prints the local folder.
            """)

    @Argument(help: "The model id, e.g. sentence-transformers/all-MiniLM-L6-v2.")
    var id: String

    @OptionGroup var model: ModelOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        guard model.model.isEmpty else { throw ValidationError("give the model id once: as the argument, not also --model") }
        let prepared = try model.prepare(logging: logging)
        let settings = prepared.settings
        let modelID = try ModelID(id)
        let store = ModelStore(configuration: settings.hubConfiguration, logger: prepared.logger)
        let variant = settings.onnx.modelPath.map(ONNXVariant.file) ?? settings.onnxVariant
        let view = DownloadProgressView()
        let resolved = try await store.resolve(
            modelID, revision: Revision(settings.revision), variant: variant, refresh: true, progress: { view.report($0) })
        var output = StandardOutput()
        output.writeLine("model     \(modelID)")
        output.writeLine("revision  \(settings.revision) → \(resolved.commit)")
        output.writeLine("onnx      \(resolved.onnxFile)")
        output.writeLine("files     \(resolved.downloaded.count) downloaded" + (resolved.downloaded.isEmpty ? " (all in the cache)" : ""))
        output.writeLine("folder    \(resolved.folder.path)")
        output.flush()
    }
}
