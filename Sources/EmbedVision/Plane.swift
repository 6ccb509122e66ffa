/// An interleaved RGB8 buffer and its size.
struct Plane {
    var pixels: [UInt8]
    var width: Int
    var height: Int

    private static let half = Int32(1 << (AxisCoefficients.precisionBits - 1))

    /// A copy of the `columns` × `rows` part.
    func window(columns: Range<Int>, rows: Range<Int>) -> Plane {
        if columns == 0..<width, rows == 0..<height { return self }
        var out = [UInt8](repeating: 0, count: columns.count * rows.count * 3)
        let length = columns.count * 3
        for (index, row) in rows.enumerated() {
            let from = (row * width + columns.lowerBound) * 3
            out.replaceSubrange((index * length)..<((index + 1) * length), with: pixels[from..<(from + length)])
        }
        return Plane(pixels: out, width: columns.count, height: rows.count)
    }

    /// Rows `sourceRows`, resampled horizontally; column 0 of this plane is input column
    /// `firstSourceColumn` of the coefficients.
    func horizontal(_ coefficients: AxisCoefficients, sourceRows: Range<Int>, firstSourceColumn: Int) -> Plane {
        let outWidth = coefficients.outputs.count
        var outArray = [UInt8](repeating: 0, count: sourceRows.count * outWidth * 3)
        let stride = coefficients.stride
        let weights = coefficients.weights.span, first = coefficients.first.span, count = coefficients.count.span
        let pixels = self.pixels.span
        var out = outArray.mutableSpan
        var target = 0
        for row in sourceRows {
            let rowStart = (row * width - firstSourceColumn) * 3
            for slot in 0..<outWidth {
                var r = Self.half, g = Self.half, b = Self.half
                let taps = count[slot]
                let start = rowStart + first[slot] * 3
                let samples = pixels.extracting(start..<(start + 3 * taps))
                let tapWeights = weights.extracting((slot * stride)..<(slot * stride + taps))
                for tap in 0..<tapWeights.count {
                    let weight = tapWeights[tap]
                    r = r &+ Int32(samples[3 * tap]) &* weight
                    g = g &+ Int32(samples[3 * tap + 1]) &* weight
                    b = b &+ Int32(samples[3 * tap + 2]) &* weight
                }
                out[target] = Self.clip(r)
                out[target + 1] = Self.clip(g)
                out[target + 2] = Self.clip(b)
                target += 3
            }
        }
        _ = consume out
        return Plane(pixels: outArray, width: outWidth, height: sourceRows.count)
    }

    /// The output rows of the coefficients, resampled vertically from this plane, whose row
    /// 0 is input row `firstSourceRow`. Sixteen values at a time, the sums kept in a vector.
    func vertical(_ coefficients: AxisCoefficients, firstSourceRow: Int) -> Plane {
        let rowLength = width * 3
        let outRows = coefficients.outputs.count
        var outArray = [UInt8](repeating: 0, count: outRows * rowLength)
        let weights = coefficients.weights.span, stride = coefficients.stride
        let pixels = self.pixels.span
        var out = outArray.mutableSpan
        let vectorEnd = rowLength - rowLength % 16
        for index in 0..<outRows {
            let base = index * stride
            let taps = coefficients.count[index]
            let firstRow = (coefficients.first[index] - firstSourceRow) * rowLength
            let target = index * rowLength
            var value = 0
            while value < vectorEnd {
                var sum = SIMD16<Int32>(repeating: Self.half)
                var source = firstRow + value
                for tap in 0..<taps {
                    var samples = SIMD16<Int32>()
                    let chunk = pixels.extracting(source..<(source + 16))
                    for lane in 0..<16 { samples[lane] = Int32(chunk[lane]) }
                    sum &+= samples &* SIMD16<Int32>(repeating: weights[base + tap])
                    source += rowLength
                }
                let shifted = sum &>> SIMD16<Int32>(repeating: Int32(AxisCoefficients.precisionBits))
                let clipped = shifted.clamped(lowerBound: .zero, upperBound: SIMD16(repeating: 255))
                for lane in 0..<16 { out[target + value + lane] = UInt8(truncatingIfNeeded: clipped[lane]) }
                value += 16
            }
            while value < rowLength {
                var sum = Self.half
                var source = firstRow + value
                for tap in 0..<taps {
                    sum = sum &+ Int32(pixels[source]) &* weights[base + tap]
                    source += rowLength
                }
                out[target + value] = Self.clip(sum)
                value += 1
            }
        }
        _ = consume out
        return Plane(pixels: outArray, width: width, height: outRows)
    }

    @inline(__always)
    private static func clip(_ sum: Int32) -> UInt8 {
        let value = sum >> Int32(AxisCoefficients.precisionBits)
        return value < 0 ? 0 : value > 255 ? 255 : UInt8(truncatingIfNeeded: value)
    }
}
