/// Which ONNX file of a repository to use.
public enum ONNXVariant: Sendable, Equatable, CustomStringConvertible {
    /// Full precision: `onnx/model.onnx`, else `model.onnx`.
    case fp32
    /// An int8 quantized file (`onnx/model_quantized.onnx`, `onnx/model_int8.onnx`, the
    /// CPU-specific `onnx/model_q*int8_*.onnx` files…).
    case quantized
    /// Half precision: `onnx/model_fp16.onnx`.
    case fp16
    /// A quantized file when `preferQuantized` and the repository has one, else fp32.
    case auto(preferQuantized: Bool)
    /// Exactly this file, a path relative to the model folder (`onnx/model_O4.onnx`).
    case file(String)

    /// Parses `fp32`, `quantized`, `fp16` or `auto`.
    public init?(_ name: String, preferQuantized: Bool = false) {
        switch name {
        case "fp32": self = .fp32
        case "quantized": self = .quantized
        case "fp16": self = .fp16
        case "auto": self = .auto(preferQuantized: preferQuantized)
        default: return nil
        }
    }

    /// The names `init(_:)` accepts.
    public static let names = ["fp32", "quantized", "fp16", "auto"]

    static let fp32Files = ["onnx/model.onnx", "model.onnx"]
    static let quantizedFiles = [
        "onnx/model_quantized.onnx", "onnx/model_int8.onnx", "onnx/model_uint8.onnx", "onnx/model_quint8_avx2.onnx",
        "onnx/model_qint8_avx512_vnni.onnx", "onnx/model_qint8_avx512.onnx", "onnx/model_qint8_arm64.onnx",
        "model_quantized.onnx",
    ]
    static let fp16Files = ["onnx/model_fp16.onnx", "model_fp16.onnx"]

    /// The files to look for, in order.
    public var candidates: [String] {
        switch self {
        case .fp32: Self.fp32Files
        case .quantized: Self.quantizedFiles
        case .fp16: Self.fp16Files
        case .auto(let preferQuantized): preferQuantized ? Self.quantizedFiles + Self.fp32Files : Self.fp32Files
        case .file(let path): [path]
        }
    }

    /// The variant's name.
    public var description: String {
        switch self {
        case .fp32: "fp32"
        case .quantized: "quantized"
        case .fp16: "fp16"
        case .auto(let preferQuantized): preferQuantized ? "auto (quantized allowed)" : "auto"
        case .file(let path): path
        }
    }
}
