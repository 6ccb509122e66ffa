import ArgumentParser
import EmbedCore
import EmbedEngine
import EmbedORT
import Foundation

/// The options that choose and configure a model, shared by the commands that embed.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A model folder (sentence-transformers layout) or a single .onnx file.")
    var model: String

    @Option(name: .long, help: "The tokenizer.json to use with a single .onnx file (default: the one next to it).")
    var tokenizer: String?

    @Option(name: .long, help: "The ONNX file inside the model folder, e.g. onnx/model_quantized.onnx (default: onnx/model.onnx, then model.onnx).")
    var onnxFile: String?

    @Option(name: .long, help: "Texts per model run (larger inputs are split).")
    var batchSize: Int = 32

    @Option(name: .long, help: "Maximum tokens per text, special tokens included (default: the model's).")
    var maxLength: Int?

    @Option(name: .long, help: "ONNX Runtime intra-op threads (default: the number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(inversion: .prefixedNo, help: "L2-normalise vectors (default: as the model's modules.json says).")
    var normalize: Bool?

    @Option(name: .long, help: "Pooling instead of the model's: cls, mean, max, mean_sqrt_len, weightedmean, lasttoken.")
    var pooling: String?

    @Option(name: .long, help: "Path of the ONNX Runtime library (default: ORT_DYLIB_PATH, the project's .cache, the system).")
    var ortLibrary: String?

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let maxLength, maxLength < 1 { throw ValidationError("--max-length must be at least 1, got \(maxLength)") }
        if let pooling, Pooling.Mode(rawValue: pooling) == nil {
            throw ValidationError(
                "unknown --pooling '\(pooling)'; choose one of \(Pooling.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func source() throws -> ModelSource {
        try ModelSource.path(model, tokenizer: tokenizer)
    }

    func configuration(batchSize override: Int? = nil) throws -> EmbedderConfiguration {
        EmbedderConfiguration(
            maxBatchSize: override ?? batchSize,
            maxLength: maxLength,
            normalize: normalize,
            pooling: try pooling.flatMap(Pooling.Mode.init(rawValue:)).map { try Pooling([$0]) },
            onnxFile: onnxFile,
            session: ORTSessionOptions(intraOpThreads: threads, interOpThreads: 1),
            library: ORTLibraryConfiguration(path: ortLibrary))
    }
}
