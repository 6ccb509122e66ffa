/// Conversions of decoded samples to RGB8, each the one Pillow's `convert("RGB")` makes
/// (or, for transparency, the one chosen in the configuration).
enum PixelConversion {
    /// Pillow's `MULDIV255`: `a * b / 255`, rounded, in integers.
    @inline(__always)
    static func multiplyDividing255(_ a: Int, _ b: Int) -> UInt8 {
        let t = a * b + 128
        return UInt8(truncatingIfNeeded: ((t >> 8) + t) >> 8)
    }

    /// `value` composited with coverage `alpha` over opaque white, as Pillow's
    /// `alpha_composite` onto a white background gives it (checked on all 65 536 pairs).
    @inline(__always)
    static func overWhite(_ value: UInt8, _ alpha: UInt8) -> UInt8 {
        let a = Int(alpha)
        return UInt8(truncatingIfNeeded: (Int(value) * a + 255 * (255 - a) + 127) / 255)
    }

    /// One gray sample a pixel → the same value in R, G and B.
    static func grayToRGB(_ gray: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: gray.count * 3)
        for index in 0..<gray.count {
            let value = gray[index]
            out[3 * index] = value
            out[3 * index + 1] = value
            out[3 * index + 2] = value
        }
        return out
    }

    /// Big-endian 16-bit gray → RGB as Pillow converts mode `I;16`: values above 255 clip
    /// to 255 (Pillow does not scale 16-bit gray down).
    static func gray16ToRGB(_ samples: [UInt8]) -> [UInt8] {
        let count = samples.count / 2
        var out = [UInt8](repeating: 0, count: count * 3)
        for index in 0..<count {
            let value = samples[2 * index] == 0 ? samples[2 * index + 1] : 255
            out[3 * index] = value
            out[3 * index + 1] = value
            out[3 * index + 2] = value
        }
        return out
    }

    /// Gray + alpha → RGB, the alpha dropped or composited over white.
    static func grayAlphaToRGB(_ samples: [UInt8], composite: Bool) -> [UInt8] {
        let count = samples.count / 2
        var out = [UInt8](repeating: 0, count: count * 3)
        for index in 0..<count {
            var value = samples[2 * index]
            if composite { value = overWhite(value, samples[2 * index + 1]) }
            out[3 * index] = value
            out[3 * index + 1] = value
            out[3 * index + 2] = value
        }
        return out
    }

    /// RGBA → RGB, the alpha dropped or composited over white.
    static func rgbaToRGB(_ samples: [UInt8], composite: Bool) -> [UInt8] {
        let count = samples.count / 4
        var out = [UInt8](repeating: 0, count: count * 3)
        for index in 0..<count {
            let alpha = samples[4 * index + 3]
            for channel in 0..<3 {
                let value = samples[4 * index + channel]
                out[3 * index + channel] = composite ? overWhite(value, alpha) : value
            }
        }
        return out
    }

    /// CMYK as libjpeg outputs it → RGB as Pillow makes it: Pillow reads every 4-channel
    /// JPEG as Adobe-inverted CMYK (`CMYK;I`), then `convert("RGB")` gives
    /// `MULDIV255(255 - C, 255 - K)` per channel; on the stored (inverted) values that is
    /// `MULDIV255(stored C, stored K)`.
    static func invertedCMYKToRGB(_ samples: [UInt8]) -> [UInt8] {
        let count = samples.count / 4
        var out = [UInt8](repeating: 0, count: count * 3)
        for index in 0..<count {
            let k = Int(samples[4 * index + 3])
            out[3 * index] = multiplyDividing255(Int(samples[4 * index]), k)
            out[3 * index + 1] = multiplyDividing255(Int(samples[4 * index + 1]), k)
            out[3 * index + 2] = multiplyDividing255(Int(samples[4 * index + 2]), k)
        }
        return out
    }
}
