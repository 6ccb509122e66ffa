#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An execution provider to register on a session, with its options.
///
/// ``name`` is the name ONNX Runtime uses in `GetAvailableProviders`
/// (`CUDAExecutionProvider`); ``registration`` says which C API registers it.
public struct ORTExecutionProvider: Sendable, Hashable, CustomStringConvertible {
    /// How the provider is added to session options.
    public enum Registration: Sendable, Hashable {
        /// Nothing to register: ONNX Runtime's CPU provider is always there, last.
        case builtIn
        /// `SessionOptionsAppendExecutionProvider_CUDA_V2` with string options.
        case cudaV2
        /// `SessionOptionsAppendExecutionProvider_TensorRT_V2` with string options.
        case tensorRTV2
        /// The generic `SessionOptionsAppendExecutionProvider(name, keys, values)`.
        case generic(String)
        /// CoreML: the generic call where the runtime supports it, else the function
        /// macOS builds export.
        case coreML
    }

    /// The provider's name in ONNX Runtime (`CUDAExecutionProvider`).
    public var name: String
    /// How it is registered.
    public var registration: Registration
    /// Provider options (`device_id` → `0`, …), passed as strings.
    public var options: [String: String]

    /// Creates a provider description.
    public init(name: String, registration: Registration, options: [String: String] = [:]) {
        self.name = name
        self.registration = registration
        self.options = options
    }

    /// ONNX Runtime's default CPU provider.
    public static let cpu = ORTExecutionProvider(name: "CPUExecutionProvider", registration: .builtIn)
    /// NVIDIA CUDA.
    public static let cuda = ORTExecutionProvider(name: "CUDAExecutionProvider", registration: .cudaV2)
    /// NVIDIA TensorRT.
    public static let tensorRT = ORTExecutionProvider(name: "TensorrtExecutionProvider", registration: .tensorRTV2)
    /// Apple Core ML.
    public static let coreML = ORTExecutionProvider(name: "CoreMLExecutionProvider", registration: .coreML)
    /// Intel OpenVINO.
    public static let openVINO = ORTExecutionProvider(name: "OpenVINOExecutionProvider", registration: .generic("OpenVINO"))
    /// XNNPACK (ARM and x86 CPUs).
    public static let xnnpack = ORTExecutionProvider(name: "XnnpackExecutionProvider", registration: .generic("XNNPACK"))
    /// Qualcomm QNN.
    public static let qnn = ORTExecutionProvider(name: "QNNExecutionProvider", registration: .generic("QNN"))
    /// WebGPU (Dawn).
    public static let webGPU = ORTExecutionProvider(name: "WebGpuExecutionProvider", registration: .generic("WebGPU"))

    /// The providers known by a short configuration name.
    public static let byShortName: [String: ORTExecutionProvider] = [
        "cpu": .cpu, "cuda": .cuda, "tensorrt": .tensorRT, "coreml": .coreML, "openvino": .openVINO,
        "xnnpack": .xnnpack, "qnn": .qnn, "webgpu": .webGPU,
    ]

    /// The provider's ONNX Runtime name.
    public var description: String { name }
}

extension ORTExecutionProvider {
    /// Adds the provider to `options`; the runtime's error (for example "CUDA is not
    /// enabled in this build") is thrown as it comes.
    func register(on options: OpaquePointer, api: ORTAPI) throws(ORTError) {
        let keys = self.options.keys.sorted()
        let values = keys.map { self.options[$0] ?? "" }
        switch registration {
        case .builtIn:
            return
        case .cudaV2:
            let providerOptions = try api.make("CreateCUDAProviderOptions") { api.createCUDAProviderOptions($0) }
            defer { api.releaseCUDAProviderOptions(providerOptions) }
            try withCStringArrays(keys, values) { (k, v) throws(ORTError) in
                try api.check(api.updateCUDAProviderOptions(providerOptions, k, v, keys.count), "UpdateCUDAProviderOptions")
            }
            try api.check(api.appendExecutionProviderCUDAV2(options, providerOptions), "adding \(name)")
        case .tensorRTV2:
            let providerOptions = try api.make("CreateTensorRTProviderOptions") { api.createTensorRTProviderOptions($0) }
            defer { api.releaseTensorRTProviderOptions(providerOptions) }
            try withCStringArrays(keys, values) { (k, v) throws(ORTError) in
                try api.check(
                    api.updateTensorRTProviderOptions(providerOptions, k, v, keys.count), "UpdateTensorRTProviderOptions")
            }
            try api.check(api.appendExecutionProviderTensorRTV2(options, providerOptions), "adding \(name)")
        case .generic(let registrationName):
            try appendGeneric(registrationName, on: options, api: api, keys: keys, values: values)
        case .coreML:
            do {
                try appendGeneric("CoreML", on: options, api: api, keys: keys, values: values)
            } catch {
                guard let legacy = api.appendExecutionProviderCoreMLLegacy else { throw error }
                try api.check(legacy(options, 0), "adding \(name)")
            }
        }
    }

    private func appendGeneric(
        _ registrationName: String, on options: OpaquePointer, api: ORTAPI, keys: [String], values: [String]
    ) throws(ORTError) {
        try withCStringArrays(keys, values) { (k, v) throws(ORTError) in
            try api.check(api.appendExecutionProvider(options, registrationName, k, v, keys.count), "adding \(name)")
        }
    }
}

/// Calls `body` with C string arrays for `keys` and `values`, valid only inside `body`.
private func withCStringArrays(
    _ keys: [String], _ values: [String],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?) throws(ORTError) -> Void
) throws(ORTError) {
    let keyCopies = keys.map { strdup($0) }
    let valueCopies = values.map { strdup($0) }
    defer {
        keyCopies.forEach { free($0) }
        valueCopies.forEach { free($0) }
    }
    let keyPointers = keyCopies.map { UnsafePointer($0) }
    let valuePointers = valueCopies.map { UnsafePointer($0) }
    try keyPointers.withUnsafeBufferPointer { (k) throws(ORTError) in
        try valuePointers.withUnsafeBufferPointer { (v) throws(ORTError) in
            try body(k.baseAddress, v.baseAddress)
        }
    }
}
