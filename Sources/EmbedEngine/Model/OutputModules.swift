import EmbedCore
import Foundation

/// What happens to a pooled vector before it is returned: sentence-transformers' modules
/// after `Pooling`, in their order (`Dense` layers and `Normalize`).
struct OutputModules: Sendable {
    enum Step: Sendable {
        case dense(DenseLayer, path: String)
        case normalize
    }

    var steps: [Step]

    /// The steps applied to one pooled vector.
    func apply(_ vector: [Float]) throws(EmbedError) -> [Float] {
        try apply(vector, normalize: normalizes)
    }

    /// The steps applied to one pooled vector, with the final normalisation chosen by
    /// `normalize` instead of the modules (a request's `normalize` option).
    func apply(_ vector: [Float], normalize: Bool) throws(EmbedError) -> [Float] {
        var vector = vector
        for step in normalizes ? steps.dropLast() : steps[...] {
            switch step {
            case .dense(let layer, let path):
                do {
                    vector = try layer.apply(vector)
                } catch {
                    throw EmbedError(.invalidModel, "Dense module \(path): \(error.message)", underlying: error)
                }
            case .normalize:
                VectorMath.l2Normalize(&vector)
            }
        }
        if normalize { VectorMath.l2Normalize(&vector) }
        return vector
    }

    /// ``apply(_:normalize:)``, then the size checked against the model's `dimension`.
    func finish(_ pooled: [Float], normalize: Bool, dimension: Int) throws(EmbedError) -> [Float] {
        let vector = try apply(pooled, normalize: normalize)
        guard vector.count == dimension else {
            throw EmbedError(.invalidModel, "the model returned a vector of \(vector.count) values, expected \(dimension)")
        }
        return vector
    }

    /// Whether the last step is a normalisation (vectors have unit length).
    var normalizes: Bool {
        if case .normalize = steps.last { return true }
        return false
    }

    /// The Dense layers, in order.
    var denseLayers: [DenseLayer] {
        steps.compactMap { if case .dense(let layer, _) = $0 { return layer } else { return nil } }
    }

    /// One line per step, for `embed inspect` and logs.
    var descriptions: [String] {
        steps.map { step in
            switch step {
            case .dense(let layer, let path):
                "Dense \(path) (\(layer.configuration.inFeatures) → \(layer.configuration.outFeatures), "
                    + "\(layer.configuration.activation.rawValue)\(layer.configuration.useResidual ? ", residual" : ""))"
            case .normalize: "Normalize"
            }
        }
    }

    /// Reads the weights of the Dense module in `folder` (its `model.safetensors`).
    static func denseLayer(in folder: URL, path: String) throws(EmbedError) -> DenseLayer {
        guard let configuration: DenseConfiguration = try ModelFiles.readJSON(folder, path + "/config.json") else {
            throw EmbedError(.invalidModel, "modules.json names a Dense module at \(path), but \(path)/config.json is missing")
        }
        let weights = folder.appendingPathComponent(path).appendingPathComponent("model.safetensors")
        guard FileKind(of: weights) == .file else {
            let pickle = FileKind(of: folder.appendingPathComponent(path).appendingPathComponent("pytorch_model.bin")) == .file
            throw EmbedError(
                .invalidModel,
                "the Dense module \(path) has no model.safetensors"
                    + (pickle ? " (only pytorch_model.bin, a Python pickle that swift-embed does not read)" : "")
                    + ": convert the model with `embed convert`, which writes the Dense weights as safetensors")
        }
        let file = try Safetensors(contentsOf: weights)
        let weight = try file.floats("linear.weight")
        let bias = configuration.bias ? try file.floats("linear.bias").values : []
        let needsProjection = configuration.useResidual && configuration.inFeatures != configuration.outFeatures
        let residual = needsProjection ? try file.floats("residual.weight").values : []
        guard weight.shape == [configuration.outFeatures, configuration.inFeatures] else {
            throw EmbedError(
                .invalidModel,
                "the Dense module \(path) has linear.weight of shape \(weight.shape), its config.json says "
                    + "[\(configuration.outFeatures), \(configuration.inFeatures)]")
        }
        do {
            return try DenseLayer(configuration: configuration, weight: weight.values, bias: bias, residualWeight: residual)
        } catch {
            throw EmbedError(.invalidModel, "the Dense module \(path): \(error.message)", underlying: error)
        }
    }
}
