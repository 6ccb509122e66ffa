import Foundation
public import Logging
import Synchronization

/// An OpenVINO core (`ov_core_t`): reads models and compiles them for a device.
///
/// One core per process is enough (it keeps the loaded plugins and their settings); one
/// per model works too. The core owns its handle and frees it when the last reference goes
/// away; models and compiled models keep their core alive.
///
/// Thread safety: every call on one core is serialised by a lock (reading a model,
/// compiling, properties). Compiling two models in parallel needs two cores.
public final class OVCore: @unchecked Sendable {
    // @unchecked: `handle` is immutable after init and every use of it is serialised by
    // `lock`, so the core may be shared between threads.

    /// The library this core was created from.
    public let library: OVLibrary
    let api: OVAPI
    let logger: Logger
    private let handle: OpaquePointer
    private let lock = Mutex<Void>(())

    /// Creates a core from `library` (or, when `nil`, from ``OVLibrary/load(_:)`` with the
    /// default search). `logger` receives debug lines about compiles.
    public init(library: OVLibrary? = nil, logger: Logger) throws(OVError) {
        let resolved: OVLibrary
        if let library { resolved = library } else { resolved = try OVLibrary.load() }
        self.library = resolved
        api = resolved.api
        self.logger = logger
        handle = try resolved.api.make("creating the OpenVINO core") { resolved.api.coreCreate($0) }
    }

    deinit {
        api.coreFree(handle)
    }

    /// Runs `body` with the native handle while holding the core's lock.
    func withHandle<R>(_ body: (OpaquePointer) throws(OVError) -> R) throws(OVError) -> R {
        try lock.withLock { (_: inout Void) throws(OVError) -> R in try body(handle) }
    }

    /// The devices OpenVINO can use with the plugins it found (`["CPU"]` with the
    /// libraries `install-openvino.sh` links).
    public func availableDevices() throws(OVError) -> [String] {
        try withHandle { (core) throws(OVError) -> [String] in
            let list = OVCStruct(OVCStruct.devicesSize)
            try api.check(api.coreGetAvailableDevices(core, list.pointer), "listing OpenVINO's devices")
            defer { api.freeAvailableDevices(list.pointer) }
            let count = Int(list.int64(at: OVCStruct.word))
            guard count > 0, let names = list.rawPointer(at: 0) else { return [] }
            let strings = names.assumingMemoryBound(to: UnsafePointer<CChar>?.self)
            return (0..<count).compactMap { strings[$0].map { String(cString: $0) } }
        }
    }

    /// A device property as OpenVINO prints it, e.g. `FULL_DEVICE_NAME` of `CPU`.
    public func property(_ key: String, device: String = "CPU") throws(OVError) -> String {
        try withHandle { (core) throws(OVError) -> String in
            try api.string("reading property \(key) of device \(device)") { api.coreGetProperty(core, device, key, $0) }
        }
    }

    /// Sets device properties on the core (`ov_core_set_properties`, non-variadic); they
    /// apply to every later compile for `device` (`nil`: global properties such as `CACHE_DIR`).
    public func setProperties(_ properties: [String: String], device: String? = "CPU") throws(OVError) {
        let pairs = properties.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        let names = pairs.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        try withHandle { (core) throws(OVError) in
            try withOVProperties(pairs) { (count, array) throws(OVError) in
                try api.check(api.coreSetProperties(core, device, count, array), "setting \(names) on \(device ?? "the core")")
            }
        }
    }

    /// The device's `OPTIMIZATION_CAPABILITIES`, e.g. `["BF16", "FP32", "FP16", "INT8", …]`.
    public func optimizationCapabilities(device: String = "CPU") throws(OVError) -> [String] {
        try property(OVPropertyKey.optimizationCapabilities, device: device)
            .split(whereSeparator: { $0 == " " || $0 == "," })
            .map(String.init)
    }

    /// Whether the device computes bf16 natively (its capabilities list `BF16`; on a CPU,
    /// AVX512_BF16 or AMX). Without it, a bf16 precision hint is not honoured natively.
    public func supportsNativeBF16(device: String = "CPU") throws(OVError) -> Bool {
        try optimizationCapabilities(device: device).contains("BF16")
    }

    /// Reads a model file (`.onnx`, or OpenVINO's `.xml` with its `.bin`). External data
    /// files of an ONNX model are found next to it.
    public func readModel(path: String) throws(OVError) -> OVModel {
        try Self.checkModelFile(path)
        let start = ContinuousClock.now
        let model = try withHandle { (core) throws(OVError) -> OpaquePointer in
            try api.make("reading the model \(path)") { api.coreReadModel(core, path, nil, $0) }
        }
        // From here on OVModel owns `model` and frees it, on its own error paths too.
        let result = try OVModel(handle: model, core: self, path: path)
        logger.debug(
            "read OpenVINO model", metadata: ["path": "\(path)", "ms": "\((ContinuousClock.now - start).milliseconds)"])
        return result
    }

    /// Compiles `model` for `device` with `options`.
    ///
    /// With ``OVCompileOptions/cacheDirectory`` set, OpenVINO still has to hash the whole
    /// model read in memory, so the cache saves little here; prefer
    /// ``compileModel(path:device:options:)``, whose cache hit skips reading the model too.
    public func compile(
        _ model: OVModel, device: String = "CPU", options: OVCompileOptions = .init()
    ) throws(OVError) -> OVCompiledModel {
        try OVCompiledModel(source: .model(model), device: device, options: options)
    }

    /// Reads and compiles the model file at `path` in one step
    /// (`ov_core_compile_model_from_file_props`). With a model cache
    /// (``OVCompileOptions/cacheDirectory``), a cache hit loads the compiled model without
    /// reading the file as a model at all.
    public func compileModel(
        path: String, device: String = "CPU", options: OVCompileOptions = .init()
    ) throws(OVError) -> OVCompiledModel {
        try Self.checkModelFile(path)
        return try OVCompiledModel(source: .file(path, self), device: device, options: options)
    }

    /// A model path must name an existing file.
    static func checkModelFile(_ path: String) throws(OVError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw OVError(.fileNotFound, "no model file at \(path)")
        }
        guard !isDirectory.boolValue else {
            throw OVError(.invalidArgument, "\(path) is a folder, not a model file")
        }
    }
}

extension Duration {
    /// The duration in milliseconds, rounded to 0.1 ms.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return ((Double(seconds) * 1e3 + Double(attoseconds) / 1e15) * 10).rounded() / 10
    }
}
