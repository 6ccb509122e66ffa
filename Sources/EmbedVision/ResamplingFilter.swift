#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A resampling filter, by the number Pillow (and so `preprocessor_config.json`'s
/// `resample`) gives it. Nearest (0) is not offered: Pillow resizes with it by another
/// method, which this module does not reproduce.
public enum ResamplingFilter: Int, Sendable, Equatable, CaseIterable {
    /// Lanczos, 3 lobes (Pillow 1, `LANCZOS`).
    case lanczos = 1
    /// Bilinear, a triangle of radius 1 (Pillow 2, `BILINEAR`).
    case bilinear = 2
    /// Bicubic, Keys' cubic with a = −0.5, radius 2 (Pillow 3, `BICUBIC`): CLIP's filter.
    case bicubic = 3
    /// Box, radius ½ (Pillow 4, `BOX`).
    case box = 4
    /// Hamming-windowed sinc, radius 1 (Pillow 5, `HAMMING`).
    case hamming = 5

    /// Pillow's name for a `resample` number, for messages.
    public static func pillowName(_ value: Int) -> String {
        switch value {
        case 0: "NEAREST"
        case 1: "LANCZOS"
        case 2: "BILINEAR"
        case 3: "BICUBIC"
        case 4: "BOX"
        case 5: "HAMMING"
        default: "unknown"
        }
    }

    /// The kernel's radius at scale 1, in input pixels.
    var support: Double {
        switch self {
        case .box: 0.5
        case .bilinear, .hamming: 1
        case .bicubic: 2
        case .lanczos: 3
        }
    }

    /// The kernel's weight at distance `x` (in input pixels at scale 1).
    func weight(_ x: Double) -> Double {
        switch self {
        case .box:
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .bilinear:
            let d = abs(x)
            return d < 1 ? 1 - d : 0
        case .bicubic:
            let a = -0.5
            let d = abs(x)
            if d < 1 { return ((a + 2) * d - (a + 3)) * d * d + 1 }
            if d < 2 { return (((d - 5) * d + 8) * d - 4) * a }
            return 0
        case .hamming:
            let d = abs(x)
            if d == 0 { return 1 }
            if d >= 1 { return 0 }
            let t = d * Double.pi
            return sin(t) / t * (0.54 + 0.46 * cos(t))
        case .lanczos:
            guard x >= -3, x < 3 else { return 0 }
            return Self.sinc(x) * Self.sinc(x / 3)
        }
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let t = x * Double.pi
        return sin(t) / t
    }
}
