#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `tanh` of the C library (the enum case `tanh` below hides the name).
private func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }

/// The contents of a sentence-transformers `Dense` module's `config.json`.
public struct DenseConfiguration: Sendable, Equatable, Decodable {
    /// The size of the vectors the layer takes.
    public var inFeatures: Int
    /// The size of the vectors it gives.
    public var outFeatures: Int
    /// Whether the layer adds a bias.
    public var bias: Bool
    /// The activation after the linear map.
    public var activation: DenseLayer.Activation
    /// Whether the input is added back to the output (projected when the sizes differ).
    public var useResidual: Bool

    static let known: Set<String> = [
        "in_features", "out_features", "bias", "activation_function", "module_input_name", "module_output_name",
        "use_residual",
    ]

    /// A configuration of these values (a linear layer made in code, such as a fusion
    /// projection).
    public init(inFeatures: Int, outFeatures: Int, bias: Bool, activation: DenseLayer.Activation, useResidual: Bool = false) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.bias = bias
        self.activation = activation
        self.useResidual = useResidual
    }

    public init(from decoder: any Decoder) throws {
        let unknown = try decoder.unknownKeys(Self.known)
        guard unknown.isEmpty else {
            throw EmbedCoreError(.invalidConfiguration, "Dense config has unknown key(s) \(unknown.joined(separator: ", "))")
        }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        inFeatures = try container.value(Int.self, "in_features")
        outFeatures = try container.value(Int.self, "out_features")
        guard inFeatures >= 1, outFeatures >= 1 else {
            throw EmbedCoreError(.invalidConfiguration, "Dense config has sizes \(inFeatures) → \(outFeatures); both must be ≥ 1")
        }
        bias = try container.optional(Bool.self, "bias") ?? true
        useResidual = try container.optional(Bool.self, "use_residual") ?? false
        // sentence-transformers' own default is Tanh when the key is absent.
        let name = try container.optional(String.self, "activation_function") ?? "torch.nn.modules.activation.Tanh"
        guard let activation = DenseLayer.Activation(pythonName: name) else {
            throw EmbedCoreError(
                .invalidConfiguration,
                "Dense activation '\(name)' is not supported (supported: \(DenseLayer.Activation.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.activation = activation
        for key in ["module_input_name", "module_output_name"] {
            if let value = try container.optional(String.self, key), value != "sentence_embedding" {
                throw EmbedCoreError(
                    .invalidConfiguration, "Dense \(key) '\(value)' is not supported: only sentence_embedding → sentence_embedding")
            }
        }
    }
}

/// A sentence-transformers `Dense` module: `activation(W x + b)`, plus `x` (or a projection
/// of it) when the module has a residual connection. Applied to pooled vectors, before
/// normalisation.
public struct DenseLayer: Sendable, Equatable {
    /// The activations sentence-transformers models use, by PyTorch class.
    public enum Activation: String, Sendable, Equatable, CaseIterable {
        case identity = "Identity"
        case tanh = "Tanh"
        case relu = "ReLU"
        case sigmoid = "Sigmoid"
        case gelu = "GELU"

        /// From a class path such as `torch.nn.modules.activation.Tanh`.
        public init?(pythonName: String) {
            guard pythonName.hasPrefix("torch.nn."),
                let last = pythonName.split(separator: ".").last,
                let activation = Activation(rawValue: String(last))
            else { return nil }
            self = activation
        }

        func apply(_ x: Float) -> Float {
            switch self {
            case .identity: x
            case .tanh: Float(hyperbolicTangent(Double(x)))
            case .relu: Swift.max(x, 0)
            case .sigmoid: 1 / (1 + Float(exp(-Double(x))))
            case .gelu: Float(0.5 * Double(x) * (1 + erf(Double(x) / 2.0.squareRoot())))
            }
        }
    }

    /// The layer's configuration.
    public let configuration: DenseConfiguration
    /// `out × in` weights, row-major (PyTorch's `linear.weight`).
    public let weight: [Float]
    /// `out` biases, empty without bias.
    public let bias: [Float]
    /// `out × in` residual projection, empty unless the residual needs one.
    public let residualWeight: [Float]

    /// Creates a layer, checking the sizes of the weights against the configuration.
    public init(configuration: DenseConfiguration, weight: [Float], bias: [Float], residualWeight: [Float] = []) throws(EmbedCoreError) {
        let (rows, columns) = (configuration.outFeatures, configuration.inFeatures)
        guard weight.count == rows * columns else {
            throw EmbedCoreError(.shapeMismatch, "Dense weight has \(weight.count) values, expected \(rows) × \(columns)")
        }
        guard bias.count == (configuration.bias ? rows : 0) else {
            throw EmbedCoreError(
                .shapeMismatch, "Dense bias has \(bias.count) values, expected \(configuration.bias ? rows : 0)")
        }
        let needsProjection = configuration.useResidual && rows != columns
        guard residualWeight.count == (needsProjection ? rows * columns : 0) else {
            throw EmbedCoreError(
                .shapeMismatch,
                "Dense residual weight has \(residualWeight.count) values, expected \(needsProjection ? rows * columns : 0)")
        }
        self.configuration = configuration
        self.weight = weight
        self.bias = bias
        self.residualWeight = residualWeight
    }

    /// The layer applied to one vector of ``DenseConfiguration/inFeatures`` values.
    public func apply(_ input: [Float]) throws(EmbedCoreError) -> [Float] {
        let (rows, columns) = (configuration.outFeatures, configuration.inFeatures)
        guard input.count == columns else {
            throw EmbedCoreError(.shapeMismatch, "Dense layer takes \(columns) values, got \(input.count)")
        }
        var output = [Float](repeating: 0, count: rows)
        for row in 0..<rows {
            var sum: Float = bias.isEmpty ? 0 : bias[row]
            let start = row * columns
            for column in 0..<columns { sum += weight[start + column] * input[column] }
            var value = configuration.activation.apply(sum)
            if configuration.useResidual {
                if residualWeight.isEmpty {
                    value += input[row]
                } else {
                    var projected: Float = 0
                    for column in 0..<columns { projected += residualWeight[start + column] * input[column] }
                    value += projected
                }
            }
            output[row] = value
        }
        return output
    }
}
