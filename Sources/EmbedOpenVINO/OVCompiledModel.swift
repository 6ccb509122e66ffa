import Logging
import Synchronization

/// A model compiled for a device (`ov_compiled_model_t`): its inputs and outputs as the
/// device runs them, the settings it runs with, and a factory of infer requests.
///
/// The compiled model owns its handle and frees it when the last reference goes away;
/// it keeps its core alive, and each request keeps it alive. It does not keep the
/// ``OVModel`` it was compiled from: drop that after compiling to give back its memory
/// (for all-MiniLM-L6-v2, about 90 MB of weights).
///
/// Thread safety: the properties are immutable values. Requests may be created from any
/// thread (creation is serialised), and **several requests of one compiled model may
/// run at the same time** on different threads: that is how OpenVINO runs streams in
/// parallel. One request runs one inference at a time (see ``OVInferRequest``).
public final class OVCompiledModel: @unchecked Sendable {
    // @unchecked: `handle` is immutable after init; creating requests and reading
    // properties go through `lock`; OpenVINO documents concurrent inference on distinct
    // requests of one compiled model as supported.

    /// The core that compiled the model.
    public let core: OVCore
    /// The file the model came from.
    public let path: String
    /// The device it was compiled for (`CPU`).
    public let device: String
    /// The options it was compiled with.
    public let options: OVCompileOptions
    /// The inputs, in order, as the compiled model takes them.
    public let inputs: [OVPortInfo]
    /// The outputs, in order.
    public let outputs: [OVPortInfo]
    /// The settings OpenVINO chose (read back after compiling).
    public let settings: OVCompiledSettings
    /// How long compiling took (with a warm model cache, loading from it).
    public let compileDuration: Duration

    let api: OVAPI
    private let handle: OpaquePointer
    private let lock = Mutex<Void>(())

    /// What is compiled: a model already read, or a file read and compiled in one step
    /// (which is what OpenVINO's model cache can skip entirely).
    enum Source {
        case model(OVModel)
        case file(String, OVCore)
    }

    init(source: Source, device: String, options: OVCompileOptions) throws(OVError) {
        let (core, model, path): (OVCore, OVModel?, String)
        switch source {
        case .model(let read): (core, model, path) = (read.core, read, read.path)
        case .file(let file, let owner): (core, model, path) = (owner, nil, file)
        }
        let api = core.api
        let properties = try options.properties()
        let summary = properties.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        let subject = "model \(path) for \(device)" + (summary.isEmpty ? "" : " (\(summary))")
        let start = ContinuousClock.now
        let handle = try core.withHandle { (coreHandle) throws(OVError) -> OpaquePointer in
            try withOVProperties(properties) { (count, array) throws(OVError) -> OpaquePointer in
                guard let model else {
                    return try api.make("compiling \(subject)") { out in
                        api.coreCompileModelFromFileProps(coreHandle, path, device, count, array, out)
                    }
                }
                return try model.withHandle { (modelHandle) throws(OVError) -> OpaquePointer in
                    try api.make("compiling \(subject)") { out in
                        api.coreCompileModelProps(coreHandle, modelHandle, device, count, array, out)
                    }
                }
            }
        }
        compileDuration = ContinuousClock.now - start
        do throws(OVError) {
            inputs = try OVPortInfo.readAll(
                api: api, side: .input, of: "compiled \(subject)",
                count: { api.compiledModelInputsSize(handle, $0) }, port: { api.compiledModelInputByIndex(handle, $0, $1) })
            outputs = try OVPortInfo.readAll(
                api: api, side: .output, of: "compiled \(subject)",
                count: { api.compiledModelOutputsSize(handle, $0) }, port: { api.compiledModelOutputByIndex(handle, $0, $1) })
        } catch {
            api.compiledModelFree(handle)
            throw error
        }
        settings = OVCompiledSettings { key in
            try? api.string("reading property \(key)") { api.compiledModelGetProperty(handle, key, $0) }
        }
        self.handle = handle
        self.api = api
        self.core = core
        self.path = path
        self.device = device
        self.options = options
        core.logger.debug(
            "compiled OpenVINO model",
            metadata: [
                "path": "\(path)", "device": "\(device)", "ms": "\(compileDuration.milliseconds)",
                "precision": "\(settings.inferencePrecisionName)", "hint": "\(settings.performanceHint)",
                "threads": "\(settings.threads.map(String.init) ?? "?")", "streams": "\(settings.streams.map(String.init) ?? "?")",
            ])
    }

    deinit {
        api.compiledModelFree(handle)
    }

    /// A property of the compiled model as OpenVINO prints it (e.g. `INFERENCE_PRECISION_HINT`).
    public func property(_ key: String) throws(OVError) -> String {
        try lock.withLock { (_: inout Void) throws(OVError) -> String in
            try api.string("reading property \(key) of the compiled model \(path)") {
                api.compiledModelGetProperty(handle, key, $0)
            }
        }
    }

    /// Creates an infer request. Create one per thread that runs inferences; requests are
    /// cheap next to an inference, and each holds its own input and output tensors.
    public func makeInferRequest() throws(OVError) -> OVInferRequest {
        let request = try lock.withLock { (_: inout Void) throws(OVError) -> OpaquePointer in
            try api.make("creating an infer request for \(path)") { api.compiledModelCreateInferRequest(handle, $0) }
        }
        return OVInferRequest(handle: request, compiledModel: self)
    }
}
