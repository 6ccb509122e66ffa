/// The one owner of an `ov_tensor_t` handle; `deinit` frees it with `ov_tensor_free`.
///
/// Freeing the handle does not free a tensor an infer request still uses: the request
/// holds its own reference to the tensor's memory (OpenVINO tensors are shared objects).
final class OVNativeTensor {
    let handle: OpaquePointer
    private let api: OVAPI

    /// A new tensor that OpenVINO allocates, of `type` and `shape`, filled with `bytes`.
    init(type: OVElementType, shape: [Int], copying bytes: UnsafeRawBufferPointer, api: OVAPI, for subject: String) throws(OVError) {
        self.api = api
        let nativeShape = try OVShape(shape, api: api, for: subject)
        handle = try api.make("creating the tensor for \(subject)") { api.tensorCreate(type.rawValue, nativeShape.value, $0) }
        // From here on `deinit` frees the handle, on the error paths below too.
        var size = 0
        try api.check(api.tensorGetByteSize(handle, &size), "reading the size of the tensor for \(subject)")
        guard size == bytes.count else {
            throw OVError(.invalidArgument, "the tensor for \(subject) has \(size) bytes, the values \(bytes.count)")
        }
        guard size > 0, let source = bytes.baseAddress else { return }
        var data: UnsafeMutableRawPointer?
        try api.check(api.tensorData(handle, &data), "reading the data of the tensor for \(subject)")
        guard let data else { throw OVError(.runtime(.notAllocated), "the tensor for \(subject) has no memory") }
        data.copyMemory(from: source, byteCount: size)
    }

    /// Takes ownership of a handle OpenVINO returned.
    init(adopting handle: OpaquePointer, api: OVAPI) {
        self.handle = handle
        self.api = api
    }

    deinit {
        api.tensorFree(handle)
    }

    /// The element type.
    func elementType(for subject: String) throws(OVError) -> OVElementType {
        var raw: UInt32 = 0
        try api.check(api.tensorGetElementType(handle, &raw), "reading the element type of \(subject)")
        return OVElementType(raw: raw)
    }

    /// The dimensions.
    func shape(for subject: String) throws(OVError) -> [Int] {
        try OVShape(of: handle, api: api, for: subject).dimensions
    }

    /// The data and its size in bytes; valid while `self` lives and the request is not run again.
    func bytes(for subject: String) throws(OVError) -> UnsafeRawBufferPointer {
        var size = 0
        try api.check(api.tensorGetByteSize(handle, &size), "reading the size of \(subject)")
        guard size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        var data: UnsafeMutableRawPointer?
        try api.check(api.tensorData(handle, &data), "reading the data of \(subject)")
        guard let data else { throw OVError(.runtime(.notAllocated), "\(subject) has no memory") }
        return UnsafeRawBufferPointer(start: data, count: size)
    }
}
