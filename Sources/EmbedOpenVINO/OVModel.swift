import Synchronization

/// A model read from a file (`ov_model_t`), before compiling: its declared inputs and outputs.
///
/// The model owns its handle and frees it when the last reference goes away; it keeps its
/// core alive (the ONNX frontend that made it belongs to the core). A model can be compiled
/// several times, with different options; compiles of one model are serialised.
public final class OVModel: @unchecked Sendable {
    // @unchecked: `handle` is immutable after init and is only used under `lock` (while
    // compiling) or under the core's lock; the other properties are immutable values.

    /// The core that read the model.
    public let core: OVCore
    /// The file it was read from.
    public let path: String
    /// The declared inputs, in the model's order.
    public let inputs: [OVPortInfo]
    /// The declared outputs, in the model's order.
    public let outputs: [OVPortInfo]

    private let handle: OpaquePointer
    private let lock = Mutex<Void>(())

    /// Takes ownership of `handle`, which is freed even when reading the ports fails.
    init(handle: OpaquePointer, core: OVCore, path: String) throws(OVError) {
        let api = core.api
        do throws(OVError) {
            inputs = try OVPortInfo.readAll(
                api: api, side: .input, of: "model \(path)",
                count: { api.modelInputsSize(handle, $0) }, port: { api.modelInputByIndex(handle, $0, $1) })
            outputs = try OVPortInfo.readAll(
                api: api, side: .output, of: "model \(path)",
                count: { api.modelOutputsSize(handle, $0) }, port: { api.modelOutputByIndex(handle, $0, $1) })
        } catch {
            api.modelFree(handle)
            throw error
        }
        self.handle = handle
        self.core = core
        self.path = path
    }

    deinit {
        core.api.modelFree(handle)
    }

    /// Runs `body` with the native handle while holding the model's lock.
    func withHandle<R>(_ body: (OpaquePointer) throws(OVError) -> R) throws(OVError) -> R {
        try lock.withLock { (_: inout Void) throws(OVError) -> R in try body(handle) }
    }
}
