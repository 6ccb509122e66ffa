import Synchronization

/// One inference context of a compiled model (`ov_infer_request_t`): its input tensors,
/// a synchronous run, its output tensors.
///
/// Inputs: ``setInput(_:_:)`` **copies** the values of an ``OVTensor`` into a tensor that
/// OpenVINO allocates and hands that tensor to the request; OpenVINO never points into
/// Swift memory, so nothing has to be kept alive for it. The copy is a `memcpy` of the
/// token ids (32 × 128 `i64` ids are 32 KiB: microseconds next to an inference that takes
/// tens of milliseconds). Every run may use another shape: dynamic `[batch, sequence]`
/// dimensions are resolved per run on the same compiled model.
///
/// Outputs are copied out into Swift arrays (``OVOutput``) after each run.
///
/// Thread safety: a request is not re-entrant in OpenVINO (setting a tensor during an
/// inference on the same request is undefined). Here every call takes the request's
/// lock, so calls from several threads are serialised and never overlap; a sequence of
/// calls (set, infer, read) from two threads may interleave, though, so give each thread
/// its own request, or use ``run(_:outputs:)``, which does the whole sequence under the lock.
/// ``infer()`` blocks the calling thread until the inference ends.
public final class OVInferRequest: @unchecked Sendable {
    // @unchecked: `handle` is immutable after init and every use of it happens under
    // `lock`, so the request can be passed between threads and called from any of them.

    /// The compiled model the request belongs to.
    public let compiledModel: OVCompiledModel
    private let handle: OpaquePointer
    private let lock = Mutex<Void>(())

    /// Takes ownership of `handle`.
    init(handle: OpaquePointer, compiledModel: OVCompiledModel) {
        self.handle = handle
        self.compiledModel = compiledModel
    }

    deinit {
        compiledModel.api.inferRequestFree(handle)
    }

    private var api: OVAPI { compiledModel.api }

    /// Sets the input `name` to a copy of `tensor`, after checking its element type and
    /// shape against the compiled model's input.
    public func setInput(_ name: String, _ tensor: OVTensor) throws(OVError) {
        let index = try inputIndex(name)
        try validate(tensor, for: compiledModel.inputs[index])
        try lock.withLock { (_: inout Void) throws(OVError) in try setInput(index: index, name: name, tensor) }
    }

    /// Runs the inference with the inputs set; blocks until it ends.
    public func infer() throws(OVError) {
        try lock.withLock { (_: inout Void) throws(OVError) in
            try api.check(api.inferRequestInfer(handle), "running \(compiledModel.path)")
        }
    }

    /// Copies the output `name` of the last run.
    public func output(_ name: String) throws(OVError) -> OVOutput {
        let index = try outputIndex(name)
        return try lock.withLock { (_: inout Void) throws(OVError) -> OVOutput in try output(index: index, name: name) }
    }

    /// Sets every input, runs, and copies the outputs, as one step under the request's lock.
    ///
    /// - Parameters:
    ///   - inputs: one tensor per input name; every input the model declares must be given.
    ///   - outputs: the outputs to return, by name; `nil` means all of them, in model order.
    /// - Returns: the outputs, in the order asked for.
    /// - Throws: ``OVError`` naming the input or output at fault, or OpenVINO's own error.
    public func run(_ inputs: [String: OVTensor], outputs requested: [String]? = nil) throws(OVError) -> [OVOutput] {
        let declared = compiledModel.inputs
        let names = declared.map(\.name).joined(separator: ", ")
        for name in inputs.keys.sorted() where !declared.contains(where: { $0.name == name }) {
            throw OVError(.invalidArgument, "the model has no input named '\(name)'; its inputs are \(names)")
        }
        var feeds: [(index: Int, name: String, tensor: OVTensor)] = []
        for (index, input) in declared.enumerated() {
            guard let tensor = inputs[input.name] else {
                throw OVError(.invalidArgument, "missing input '\(input.name)': the model declares inputs \(names)")
            }
            try validate(tensor, for: input)
            feeds.append((index, input.name, tensor))
        }
        let shapes = feeds.map { "\($0.name) \($0.tensor.shape)" }.joined(separator: ", ")
        var wanted: [(index: Int, name: String)] = []
        for name in requested ?? compiledModel.outputs.map(\.name) {
            wanted.append((try outputIndex(name), name))
        }
        return try lock.withLock { (_: inout Void) throws(OVError) -> [OVOutput] in
            for feed in feeds {
                try setInput(index: feed.index, name: feed.name, feed.tensor)
            }
            try api.check(api.inferRequestInfer(handle), "running \(compiledModel.path) with \(shapes)")
            var results: [OVOutput] = []
            for output in wanted {
                results.append(try self.output(index: output.index, name: output.name))
            }
            return results
        }
    }

    // MARK: Under the lock

    private func setInput(index: Int, name: String, _ tensor: OVTensor) throws(OVError) {
        let subject = "input '\(name)'"
        let native = try tensor.storage.withBytes { (bytes) throws(OVError) -> OVNativeTensor in
            try OVNativeTensor(type: tensor.elementType, shape: tensor.shape, copying: bytes, api: api, for: subject)
        }
        // The request keeps its own reference to the tensor; `native` frees only our handle.
        try api.check(
            api.inferRequestSetInputTensorByIndex(handle, index, native.handle),
            "setting \(subject) with shape \(tensor.shape)")
    }

    private func output(index: Int, name: String) throws(OVError) -> OVOutput {
        let tensor = try api.make("reading output '\(name)'") { api.inferRequestGetOutputTensorByIndex(handle, index, $0) }
        return try OVOutput(name: name, tensor: OVNativeTensor(adopting: tensor, api: api))
    }

    // MARK: Checks

    private func inputIndex(_ name: String) throws(OVError) -> Int {
        guard let index = compiledModel.inputs.firstIndex(where: { $0.name == name }) else {
            let names = compiledModel.inputs.map(\.name).joined(separator: ", ")
            throw OVError(.invalidArgument, "the model has no input named '\(name)'; its inputs are \(names)")
        }
        return index
    }

    private func outputIndex(_ name: String) throws(OVError) -> Int {
        guard let index = compiledModel.outputs.firstIndex(where: { $0.name == name }) else {
            let names = compiledModel.outputs.map(\.name).joined(separator: ", ")
            throw OVError(.invalidArgument, "the model has no output named '\(name)'; its outputs are \(names)")
        }
        return index
    }

    private func validate(_ tensor: OVTensor, for input: OVPortInfo) throws(OVError) {
        guard tensor.elementType == input.elementType else {
            throw OVError(
                .invalidArgument, "input '\(input.name)' expects \(input.elementType) values, got \(tensor.elementType)")
        }
        guard input.shape.accepts(tensor.shape) else {
            throw OVError(.invalidArgument, "input '\(input.name)' has shape \(tensor.shape), the model declares \(input)")
        }
        guard tensor.storage.count > 0 else {
            throw OVError(.invalidArgument, "input '\(input.name)' is empty (shape \(tensor.shape))")
        }
    }
}
