import EmbedCore
import EmbedHub
import Foundation

/// What swift-embed reads from a CLIP `config.json`. It is transformers' description of the
/// whole model (dozens of architecture and training keys that change nothing here): like
/// ``TransformerConfiguration`` it reads its few keys and ignores the others. The file whose
/// every key changes the vectors, `preprocessor_config.json`, is parsed strictly (EmbedVision).
struct CLIPConfiguration: Decodable, Sendable {
    struct TextPart: Decodable, Sendable {
        var maxPositionEmbeddings: Int?

        enum CodingKeys: String, CodingKey {
            case maxPositionEmbeddings = "max_position_embeddings"
        }
    }

    /// `clip` or `siglip`.
    var modelType: String?
    /// The size of both towers' vectors.
    var projectionDim: Int?
    var textConfig: TextPart?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", projectionDim = "projection_dim", textConfig = "text_config"
    }
}

/// The files of a CLIP (or SigLIP) model folder: `config.json` (`model_type: clip` or
/// `siglip`), one or two ONNX files,
/// `tokenizer.json` (for a text tower) and `preprocessor_config.json` (for a vision tower).
struct CLIPFiles {
    var name: String
    var root: URL
    /// CLIP or SigLIP, from `config.json`'s `model_type`.
    var family: VisionLanguageFamily
    var configuration: CLIPConfiguration
    /// The ONNX files to open, relative to ``root``; which towers each runs is decided from
    /// its inputs and outputs once it is open.
    var onnx: [String]
    var tokenizerURL: URL?
    var tokenizerConfiguration: TokenizerConfiguration?
    var preprocessorURL: URL?

    /// The image–text family of the model in `root` (its `config.json` says `model_type:
    /// clip` or `siglip`), `nil` for any other model.
    static func family(of root: URL) throws(EmbedError) -> VisionLanguageFamily? {
        let configuration: TransformerConfiguration? = try ModelFiles.readJSON(root, "config.json")
        return VisionLanguageFamily(modelType: configuration?.modelType)
    }

    /// Finds the files of the CLIP folder `root`. `onnxFile` (the `onnx.model_path` setting)
    /// names one file or several separated by commas, relative to the folder.
    static func load(_ root: URL, onnxFile: String?, variant: ONNXVariant) throws(EmbedError) -> CLIPFiles {
        guard var configuration: CLIPConfiguration = try ModelFiles.readJSON(root, "config.json") else {
            throw EmbedError(.modelNotFound, "config.json not found in \(root.path)")
        }
        guard let family = VisionLanguageFamily(modelType: configuration.modelType) else {
            throw EmbedError(
                .invalidModel,
                "config.json model_type \(configuration.modelType.map { "\"\($0)\"" } ?? "(none)") is not "
                    + VisionLanguageFamily.allCases.map(\.rawValue).joined(separator: " or "))
        }
        if family == .siglip, configuration.textConfig?.maxPositionEmbeddings == nil {
            // SiglipTextConfig's default (Google's config.json files leave it out): a maximum
            // length above it is refused at load, not by the graph at the first text.
            configuration.textConfig = .init(maxPositionEmbeddings: ModelLoader.siglipDefaultPositions)
        }
        let onnx: [String]
        let listed: String? = if case .file(let file) = variant { onnxFile ?? file } else { onnxFile }
        if let listed {
            onnx = listed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for file in onnx where FileKind(of: root.appendingPathComponent(file)) != .file {
                throw EmbedError(.modelNotFound, "ONNX model not found: \(root.appendingPathComponent(file).path)")
            }
            guard !onnx.isEmpty else { throw EmbedError(.invalidConfiguration, "the ONNX file list \"\(listed)\" is empty") }
        } else {
            let sets = try candidates(variant)
            guard let found = sets.lazy.map({ $0.filter { FileKind(of: root.appendingPathComponent($0)) == .file } })
                .first(where: { !$0.isEmpty })
            else {
                throw EmbedError(
                    .modelNotFound,
                    "no \(variant) ONNX files for a \(family.displayName) model in \(root.path): looked for "
                        + sets.map { $0.joined(separator: " + ") }.joined(separator: ", "))
            }
            onnx = found
        }
        func optional(_ name: String) -> URL? {
            let url = root.appendingPathComponent(name)
            return FileKind(of: url) == .file ? url : nil
        }
        return CLIPFiles(
            name: root.lastPathComponent, root: root, family: family, configuration: configuration, onnx: onnx,
            tokenizerURL: optional("tokenizer.json"), tokenizerConfiguration: try ModelFiles.readJSON(root, "tokenizer_config.json"),
            preprocessorURL: optional("preprocessor_config.json"))
    }

    /// The layouts looked for (``EmbedHub/CLIPLayout``, shared with the model store).
    private static func candidates(_ variant: ONNXVariant) throws(EmbedError) -> [[String]] {
        guard let sets = CLIPLayout.candidateSets(variant) else {
            throw EmbedError(.invalidConfiguration, "fp16 CLIP files are not supported: the engine feeds pixel_values as float32")
        }
        return sets
    }
}
