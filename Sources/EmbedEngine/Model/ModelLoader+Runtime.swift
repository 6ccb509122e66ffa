import EmbedCore
import EmbedOpenVINO
import EmbedORT
import Foundation
import Logging

/// A model file opened on one runtime: what it declares, and how to make its backend once
/// the signature and pooling are known.
struct OpenedRuntime {
    enum Handle {
        case onnx(ProviderChain.Opened, ORTLibrary)
        case openVINO(OVCompiledModel, OVLibrary)
    }

    var handle: Handle
    var inputs: [ORTTensorInfo]
    var outputs: [ORTTensorInfo]
    var fallbacks: [String]

    /// E.g. `onnxruntime 1.31.1 (CPUExecutionProvider)`, `openvino 2026.4.1 (CPU, bf16)`.
    var engineName: String { handle.engineName }

    func backend(signature: ModelSignature, pooling: Pooling?) -> any EmbeddingBackend {
        switch handle {
        case .onnx(let opened, _):
            ONNXBackend(session: opened.session, signature: signature, pooling: pooling, engineName: engineName)
        case .openVINO(let compiled, _):
            OpenVINOBackend(compiled: compiled, signature: signature, pooling: pooling, engineName: engineName)
        }
    }

    func details(
        files: ModelFiles, signature: ModelSignature, quantization: QuantizationInfo, threads: Int
    ) -> RuntimeDetails {
        let size = (try? FileManager.default.attributesOfItem(atPath: files.onnxURL.path)[.size] as? NSNumber)?.int64Value
        var details = RuntimeDetails(
            onnxPath: files.onnxURL.path, onnxFileSize: size ?? 0, tokenizerPath: files.tokenizerURL.path,
            inputs: inputs, outputs: outputs, outputName: signature.output, metadata: ORTModelMetadata(),
            quantization: quantization, runtimeVersion: "", runtimePath: "", executionProvider: "",
            availableProviders: [], intraOpThreads: threads, optimizedGraph: nil)
        handle.describe(into: &details, threads: threads)
        return details
    }
}

extension OpenedRuntime.Handle {
    /// E.g. `onnxruntime 1.31.1 (CPUExecutionProvider)`, `openvino 2026.4.1 (CPU, bf16)`.
    var engineName: String {
        switch self {
        case .onnx(let opened, let library): "onnxruntime \(library.version) (\(opened.provider.name))"
        case .openVINO(let compiled, let library):
            "openvino \(library.version) (\(compiled.device), \(compiled.settings.inferencePrecisionName))"
        }
    }

    /// Fills in what the runtime says about the opened file: version, path, provider or
    /// device, precision, threads, the optimised graph (text and CLIP models alike).
    func describe(into details: inout RuntimeDetails, threads: Int) {
        switch self {
        case .onnx(let opened, let library):
            details.metadata = opened.session.metadata
            details.runtimeVersion = library.version
            details.runtimePath = library.path
            details.executionProvider = opened.provider.name
            details.availableProviders = opened.available
            details.optimizedGraph = opened.optimizedGraph
        case .openVINO(let compiled, let library):
            details.runtime = "openvino"
            details.runtimeVersion = "\(library.version)"
            details.runtimePath = library.path
            details.executionProvider = "OpenVINO \(compiled.device)"
            details.availableProviders = (try? compiled.core.availableDevices()) ?? [compiled.device]
            details.inferencePrecision = compiled.settings.inferencePrecisionName
            details.intraOpThreads = compiled.settings.threads ?? threads
            details.optimizedGraph = compiled.settings.loadedFromCache.map { $0 ? "loaded from OpenVINO's model cache" : "compiled" }
        }
    }
}

extension ModelLoader {
    /// Opens `files` on the configured runtime. OpenVINO falls back to ONNX Runtime, logged
    /// and recorded, when allowed (``EmbedderConfiguration/Fallback/onnxRuntime``): when its
    /// library is missing, when it cannot compile the model, and always for a quantized model
    /// (int8 graphs run slower on OpenVINO than on ONNX Runtime here).
    static func openRuntime(
        _ files: ModelFiles, quantization: QuantizationInfo, configuration: EmbedderConfiguration, logger: Logger
    ) throws(EmbedError) -> OpenedRuntime {
        var fallbacks: [String] = []
        if configuration.runtime == .openVINO {
            if quantization.isQuantized {
                let reason = "quantized models run on ONNX Runtime (\(quantization.evidence.joined(separator: ", ")))"
                logger.notice("not using OpenVINO: \(reason)")
                fallbacks.append("onnxruntime: \(reason)")
            } else {
                do throws(OVError) {
                    return try openOpenVINO(files, configuration: configuration, logger: logger)
                } catch {
                    let reason = "OpenVINO cannot run \(files.onnxURL.lastPathComponent): \(error)"
                    guard configuration.fallback.contains(.onnxRuntime) else {
                        throw EmbedError(.runtime, reason, underlying: error)
                    }
                    logger.warning("falling back to ONNX Runtime: \(reason)")
                    fallbacks.append("onnxruntime: \(reason)")
                }
            }
        }
        var opened = try openONNXRuntime(files, configuration: configuration, logger: logger)
        opened.fallbacks = fallbacks + opened.fallbacks
        return opened
    }

    private static func openONNXRuntime(
        _ files: ModelFiles, configuration: EmbedderConfiguration, logger: Logger
    ) throws(EmbedError) -> OpenedRuntime {
        let (library, environment) = try onnxRuntime(configuration, file: files.onnxURL.path, logger: logger)
        let opened = try ProviderChain.openSession(
            files.onnxURL, configuration: configuration, environment: environment, runtimeVersion: library.version,
            logger: logger)
        return OpenedRuntime(
            handle: .onnx(opened, library), inputs: opened.session.inputs, outputs: opened.session.outputs,
            fallbacks: opened.fallbacks)
    }

    /// ONNX Runtime's library and the process-wide environment; errors name `file`.
    static func onnxRuntime(
        _ configuration: EmbedderConfiguration, file: String, logger: Logger
    ) throws(EmbedError) -> (ORTLibrary, ORTEnvironment) {
        do throws(ORTError) {
            let library = try ORTLibrary.load(configuration.library)
            return (library, try ORTEnvironment.shared(library: library, logger: logger))
        } catch {
            throw wrap(error, file: file)
        }
    }

    private static func openOpenVINO(
        _ files: ModelFiles, configuration: EmbedderConfiguration, logger: Logger
    ) throws(OVError) -> OpenedRuntime {
        let (compiled, library, _) = try compileOnOpenVINO(files.onnxURL.path, configuration: configuration, logger: logger)
        return OpenedRuntime(
            handle: .openVINO(compiled, library), inputs: try compiled.inputs.map(tensorInfo),
            outputs: try compiled.outputs.map(tensorInfo), fallbacks: [])
    }

    /// Compiles the ONNX file at `path` with OpenVINO at the configured precision, passed
    /// explicitly and checked after compiling (bf16 is refused on a CPU without it natively).
    /// With `readingNames` the file is read as a model first and compiled from it, and the
    /// graph's own input and output names come back (in port order): a compiled port answers
    /// to all its tensor names but reports one of them, which after fusion can be an inner
    /// tensor's (CLIP's `pixel_values` came back as its Cast's output).
    static func compileOnOpenVINO(
        _ path: String, configuration: EmbedderConfiguration, logger: Logger, readingNames: Bool = false
    ) throws(OVError) -> (OVCompiledModel, OVLibrary, names: (inputs: [String], outputs: [String])?) {
        let settings = configuration.openVINO
        let library = try OVLibrary.load(settings.library)
        let core = try OVCore(library: library, logger: logger)
        if settings.precision == .bf16, try !core.supportsNativeBF16(device: settings.device) {
            throw OVError(.invalidArgument, "precision bf16 was asked for, but this \(settings.device) has no native bf16")
        }
        // ONNX Runtime's intra-op threads are per run; OpenVINO's INFERENCE_NUM_THREADS is the
        // total shared by its streams (one per worker). With 2 workers × 1 thread, passing 1
        // left each stream half a core: 27.6 against 17.3 s on 2,000 texts.
        let workers = configuration.batching.workers
        let threads = configuration.session.intraOpThreads * workers
        let options = OVCompileOptions(
            precision: settings.compilePrecision, performanceHint: settings.performanceHint, threads: threads,
            streams: workers > 1 ? workers : nil, cacheDirectory: settings.modelCacheDirectory)
        let compiled: OVCompiledModel
        var names: (inputs: [String], outputs: [String])?
        if readingNames {
            let model = try core.readModel(path: path)
            names = (model.inputs.map(\.name), model.outputs.map(\.name))
            compiled = try core.compile(model, device: settings.device, options: options)
        } else {
            compiled = try core.compileModel(path: path, device: settings.device, options: options)
        }
        guard compiled.settings.inferencePrecision == settings.compilePrecision else {
            throw OVError(
                .invalidArgument,
                "asked for \(settings.precision.rawValue), OpenVINO compiled \(compiled.settings.inferencePrecisionName)")
        }
        logger.info(
            "compiled the model with OpenVINO",
            metadata: [
                "file": "\(path)", "precision": "\(compiled.settings.inferencePrecisionName)", "hint": "\(compiled.settings.performanceHint)",
                "threads": "\(compiled.settings.threads.map(String.init) ?? "?")",
                "ms": "\(compiled.compileDuration / .milliseconds(1))",
            ])
        return (compiled, library, names)
    }

    /// An OpenVINO port described as ONNX Runtime describes tensors, so that one
    /// ``ModelSignature`` checks both.
    static func tensorInfo(_ port: OVPortInfo) throws(OVError) -> ORTTensorInfo {
        guard let dimensions = port.shape.dimensions else {
            throw OVError(.invalidArgument, "\(port.name) has a dynamic rank, which the engine cannot feed")
        }
        let type: ORTElementType =
            switch port.elementType {
            case .i64: .int64
            case .i32: .int32
            case .f32: .float
            case .f16: .float16
            case .f64: .double
            default: .undefined
            }
        return ORTTensorInfo(
            name: port.name, kind: .tensor, elementType: type, shape: dimensions.map { $0.isStatic ? $0.min : -1 },
            symbolicShape: dimensions.map { _ in "" })
    }
}
