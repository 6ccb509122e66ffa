#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one owner of an `ov_shape_t` whose `dims` array OpenVINO allocated (by
/// `ov_shape_create` or `ov_tensor_get_shape`); `deinit` frees the array with `ov_shape_free`.
final class OVShape {
    private let api: OVAPI
    private let storage = OVCStruct(OVCStruct.shapeSize)

    /// A new shape with `dimensions` (all non-negative, checked by the caller).
    init(_ dimensions: [Int], api: OVAPI, for subject: @autoclosure () -> String) throws(OVError) {
        self.api = api
        let dims = dimensions.map { Int64($0) }
        try dims.withUnsafeBufferPointer { (buffer) throws(OVError) in
            try api.check(api.shapeCreate(Int64(dims.count), buffer.baseAddress, storage.pointer), "creating the shape of \(subject())")
        }
    }

    /// The shape of `tensor`.
    init(of tensor: OpaquePointer, api: OVAPI, for subject: @autoclosure () -> String) throws(OVError) {
        self.api = api
        try api.check(api.tensorGetShape(tensor, storage.pointer), "reading the shape of \(subject())")
    }

    deinit {
        // A shape whose creation failed has no array to free.
        if storage.rawPointer(at: OVCStruct.word) != nil {
            _ = api.shapeFree(storage.pointer)
        }
    }

    /// The dimensions.
    var dimensions: [Int] {
        let rank = Int(storage.int64(at: 0))
        guard rank > 0, let dims = storage.rawPointer(at: OVCStruct.word) else { return [] }
        let values = dims.assumingMemoryBound(to: Int64.self)
        return (0..<rank).map { Int(values[$0]) }
    }

    /// The struct as the by-value argument of `ov_tensor_create` (see ``OVAPI``): `quot`
    /// holds `rank`, `rem` the bits of the `dims` pointer. Valid while `self` lives.
    var value: lldiv_t {
        let dims = storage.rawPointer(at: OVCStruct.word).map { Int64(Int(bitPattern: $0)) } ?? 0
        return lldiv_t(quot: storage.int64(at: 0), rem: dims)
    }
}
