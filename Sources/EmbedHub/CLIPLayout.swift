public import Foundation

/// Where a CLIP model's ONNX files are, in the layouts found on the hub: split towers
/// (`onnx/text_model.onnx` + `onnx/vision_model.onnx`, transformers.js'), one joint export
/// (`onnx/model.onnx` or `model.onnx`), or a vision tower alone (fastembed's `model.onnx`).
/// The one list both the model store (what to download) and the engine (what to open) use.
public enum CLIPLayout {
    /// The sets of files looked for, in order, for `variant`: the first set of which any file
    /// exists is used (a split set with one file present is a one-tower model). `nil` for
    /// ``ONNXVariant/fp16`` (no fp16 CLIP files: the engine feeds float32 pixels). A
    /// ``ONNXVariant/file(_:)`` names one file or several separated by commas.
    public static func candidateSets(_ variant: ONNXVariant) -> [[String]]? {
        switch variant {
        case .fp32, .auto(preferQuantized: false): fp32Sets
        case .auto(preferQuantized: true): quantizedSets + fp32Sets
        case .quantized: quantizedSets
        case .fp16: nil
        case .file(let list): [list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }]
        }
    }

    static let fp32Sets = [["onnx/text_model.onnx", "onnx/vision_model.onnx"], ["onnx/model.onnx"], ["model.onnx"]]
    static let quantizedSets = [
        ["onnx/text_model_quantized.onnx", "onnx/vision_model_quantized.onnx"], ["onnx/model_quantized.onnx"],
        ["model_quantized.onnx"],
    ]

    /// The files of the first set with any file `exists` says is there.
    public static func files(_ variant: ONNXVariant, exists: (String) -> Bool) -> [String]? {
        for set in candidateSets(variant) ?? [] {
            let present = set.filter(exists)
            if !present.isEmpty { return present }
        }
        return nil
    }

    /// Whether the `config.json` at `url` says `model_type: clip` (a missing or unreadable
    /// file: no).
    public static func isCLIP(configuration url: URL) -> Bool {
        struct Head: Decodable { var model_type: String? }
        guard let data = try? Data(contentsOf: url), let head = try? JSONDecoder().decode(Head.self, from: data) else {
            return false
        }
        return head.model_type == "clip"
    }
}
