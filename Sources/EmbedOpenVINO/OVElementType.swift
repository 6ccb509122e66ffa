/// OpenVINO's element types (`ov_element_type_e`), by their C values (as of 2026.4;
/// the values after `u1` moved when `u2`, `u3` and `u6` were added in 2024).
public enum OVElementType: UInt32, Sendable, CustomStringConvertible {
    /// A type decided at run time.
    case dynamic = 0
    /// `boolean`.
    case boolean = 1
    /// bfloat16.
    case bf16 = 2
    /// IEEE half precision.
    case f16 = 3
    /// IEEE single precision.
    case f32 = 4
    /// IEEE double precision.
    case f64 = 5
    /// 4-bit signed integer.
    case i4 = 6
    /// 8-bit signed integer.
    case i8 = 7
    /// 16-bit signed integer.
    case i16 = 8
    /// 32-bit signed integer.
    case i32 = 9
    /// 64-bit signed integer.
    case i64 = 10
    /// 1-bit (binary).
    case u1 = 11
    /// 2-bit unsigned integer.
    case u2 = 12
    /// 3-bit unsigned integer.
    case u3 = 13
    /// 4-bit unsigned integer.
    case u4 = 14
    /// 6-bit unsigned integer.
    case u6 = 15
    /// 8-bit unsigned integer.
    case u8 = 16
    /// 16-bit unsigned integer.
    case u16 = 17
    /// 32-bit unsigned integer.
    case u32 = 18
    /// 64-bit unsigned integer.
    case u64 = 19
    /// NormalFloat4.
    case nf4 = 20
    /// 8-bit float, 4 exponent bits.
    case f8e4m3 = 21
    /// 8-bit float, 5 exponent bits.
    case f8e5m2 = 22
    /// Strings.
    case string = 23
    /// 4-bit float.
    case f4e2m1 = 24
    /// 8-bit exponent-only scale.
    case f8e8m0 = 25
    /// A value this binding does not name (a newer library).
    case unknown = 0xFFFF_FFFF

    init(raw: UInt32) { self = OVElementType(rawValue: raw) ?? .unknown }

    /// OpenVINO's own short name (`f32`, `i64`, …), as its properties print it.
    public var description: String {
        switch self {
        case .dynamic: "dynamic"
        case .boolean: "boolean"
        case .bf16: "bf16"
        case .f16: "f16"
        case .f32: "f32"
        case .f64: "f64"
        case .i4: "i4"
        case .i8: "i8"
        case .i16: "i16"
        case .i32: "i32"
        case .i64: "i64"
        case .u1: "u1"
        case .u2: "u2"
        case .u3: "u3"
        case .u4: "u4"
        case .u6: "u6"
        case .u8: "u8"
        case .u16: "u16"
        case .u32: "u32"
        case .u64: "u64"
        case .nf4: "nf4"
        case .f8e4m3: "f8e4m3"
        case .f8e5m2: "f8e5m2"
        case .string: "string"
        case .f4e2m1: "f4e2m1"
        case .f8e8m0: "f8e8m0"
        case .unknown: "unknown"
        }
    }

    /// The size of one element in bytes, for the types the binding reads and writes.
    var byteWidth: Int? {
        switch self {
        case .boolean, .i8, .u8: 1
        case .bf16, .f16, .i16, .u16: 2
        case .f32, .i32, .u32: 4
        case .f64, .i64, .u64: 8
        default: nil
        }
    }
}
