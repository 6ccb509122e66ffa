import EmbedCore
import Foundation
import Logging

extension ModelLoader.Resolver {
    /// The steps after pooling, from `modules.json` and the configuration.
    ///
    /// Accepted modules: the transformer, pooling, `Dense` (run here from the module's
    /// `model.safetensors`) and `Normalize`, in the file's order. Anything else is refused by
    /// name. When the ONNX graph already outputs a pooled vector (`sentence_embedding`), the
    /// Dense layers are taken to be inside the graph and only normalisation is applied here.
    /// A configured `normalize` replaces the file's Normalize modules (one at the end, or none).
    mutating func outputModules(signature: ModelSignature) throws(EmbedError) -> OutputModules {
        if files.sentenceBert?.doLowerCase == true {
            throw EmbedError(.invalidModel, "sentence_bert_config.json sets do_lower_case: true, which is not supported yet")
        }
        var steps: [OutputModules.Step] = []
        var skippedDense: [String] = []
        for module in files.modules ?? [] {
            switch module.kind {
            case .transformer, .pooling:
                continue
            case .normalize:
                steps.append(.normalize)
            case .dense:
                if signature.outputIsPooled {
                    skippedDense.append(module.path)
                    continue
                }
                guard let root = files.root else { continue }
                steps.append(.dense(try OutputModules.denseLayer(in: root, path: module.path), path: module.path))
            case .other(let type):
                throw EmbedError(.invalidModel, "modules.json has module \(type) (\(module.path)), which is not supported")
            }
        }
        if !skippedDense.isEmpty {
            let dense = skippedDense.joined(separator: ", ")
            logger.notice(
                "\(files.name): the ONNX output '\(signature.output)' is already pooled, so the Dense module(s) \(dense) are taken to be inside the graph")
        }
        if let normalize = configuration.normalize {
            steps.removeAll { if case .normalize = $0 { true } else { false } }
            if normalize { steps.append(.normalize) }
            normalizeSource = "configuration"
        } else if files.modules == nil {
            if let known {
                fromRegistry(known.normalize ? "normalisation" : "no normalisation")
                if known.normalize { steps.append(.normalize) }
                normalizeSource = "registry (\(known.id))"
            } else {
                normalizeSource = "no modules.json: no Normalize module"
            }
        } else {
            normalizeSource = steps.contains { if case .normalize = $0 { true } else { false } }
                ? "modules.json Normalize module" : "modules.json has no Normalize module"
        }
        return OutputModules(steps: steps)
    }
}
