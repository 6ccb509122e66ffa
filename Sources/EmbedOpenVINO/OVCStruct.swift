#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Zeroed, 8-byte aligned memory for one of the small C structs that OpenVINO fills
/// through a pointer, read at the field offsets its header defines. The memory is ours
/// (freed in `deinit`); what the library allocates *inside* the struct is freed by the
/// owner that uses it (``OVShape``, ``OVPartialShape``'s reader, the version check).
///
/// Layouts on a 64-bit platform (every field is 8 bytes, so the offsets are multiples of 8):
///
/// | struct | fields | size |
/// |---|---|---|
/// | `ov_version_t` | `const char* buildNumber`, `const char* description` | 16 |
/// | `ov_shape_t` | `int64_t rank`, `int64_t* dims` | 16 |
/// | `ov_dimension_t` (= `ov_rank_t`) | `int64_t min`, `int64_t max` | 16 |
/// | `ov_partial_shape_t` | `ov_rank_t rank`, `ov_dimension_t* dims` | 24 |
/// | `ov_available_devices_t` | `char** devices`, `size_t size` | 16 |
final class OVCStruct {
    /// The size of every field.
    static let word = 8
    static let versionSize = 16
    static let shapeSize = 16
    static let dimensionSize = 16
    static let partialShapeSize = 24
    static let devicesSize = 16

    /// Whether the layouts above hold here: 8-byte pointers and integers, and a C
    /// `lldiv_t` (the stand-in for `ov_shape_t` passed by value) of 16 bytes, 8-aligned.
    static var layoutIsSupported: Bool {
        MemoryLayout<Int>.size == 8 && MemoryLayout<UnsafeRawPointer>.size == 8
            && MemoryLayout<lldiv_t>.size == 16 && MemoryLayout<lldiv_t>.alignment == 8
            && MemoryLayout<lldiv_t>.offset(of: \.rem) == 8
    }

    /// The struct's first byte, for the C call to fill.
    let pointer: UnsafeMutableRawPointer

    init(_ byteCount: Int) {
        pointer = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: Self.word)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    }

    deinit {
        pointer.deallocate()
    }

    /// The 64-bit integer field at `offset`.
    func int64(at offset: Int) -> Int64 {
        pointer.load(fromByteOffset: offset, as: Int64.self)
    }

    /// The pointer field at `offset`.
    func rawPointer(at offset: Int) -> UnsafeMutableRawPointer? {
        pointer.load(fromByteOffset: offset, as: UnsafeMutableRawPointer?.self)
    }

    /// A copy of the C string the pointer field at `offset` points to.
    func string(at offset: Int) -> String? {
        rawPointer(at: offset).map { String(cString: $0.assumingMemoryBound(to: CChar.self)) }
    }
}
