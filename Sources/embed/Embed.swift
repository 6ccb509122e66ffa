import ArgumentParser
import EmbedEngine

/// The `embed` command-line tool.
@main
struct Embed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Local text embeddings with ONNX Runtime.",
        discussion: """
            Models are folders in the Hugging Face / sentence-transformers layout (tokenizer.json, \
            onnx/model.onnx or model.onnx, 1_Pooling/config.json, modules.json, …) or a single .onnx \
            file with --tokenizer. ONNX Runtime is loaded at run time: see `embed inspect` for the \
            library in use and ORT_DYLIB_PATH to choose one.
            """,
        // The one version (also in /info and `embed inspect`): EmbedEngine's SwiftEmbed.version.
        version: SwiftEmbed.version,
        subcommands: [
            EncodeCommand.self, MergeCommand.self, TokenizeCommand.self, InspectCommand.self, SimilarityCommand.self,
            BenchCommand.self, PullCommand.self, ConfigCommand.self, ModelsCommand.self, ConvertCommand.self, QuantizeCommand.self,
            ServeCommand.self,
        ]
    )
}
