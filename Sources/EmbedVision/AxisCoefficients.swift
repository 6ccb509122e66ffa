/// The weights that resample one axis from `inputSize` to `outputSize` samples, fixed point,
/// computed the way Pillow's resampler computes them, for the output samples in `outputs`
/// only (arrays indexed from `outputs.lowerBound`).
///
/// Output sample `i` sits at `center = (i + 0.5) × scale` in input coordinates, with
/// `scale = input / output`. When shrinking, the kernel is stretched by the scale (so every
/// input sample contributes: antialiasing); when enlarging it keeps its size. Input `j`
/// gets the weight `kernel((j − center + 0.5) / stretch)` for `j` in
/// `[trunc(center − support + 0.5), trunc(center + support + 0.5))`, clamped to the image;
/// the weights are divided by their sum, then scaled by 2²² and rounded half away from zero.
struct AxisCoefficients: Sendable {
    /// Fractional bits of the fixed-point weights (Pillow's 8-bit precision).
    static let precisionBits = 22

    let inputSize: Int
    let outputSize: Int
    /// The output samples these weights are for.
    let outputs: Range<Int>
    /// Weights per output sample (the row length of `weights`).
    let stride: Int
    /// First input sample of each output sample.
    let first: [Int]
    /// Number of input samples of each output sample.
    let count: [Int]
    /// `outputs.count × stride` weights, zero past `count`.
    let weights: [Int32]

    init(inputSize: Int, outputSize: Int, outputs: Range<Int>, filter: ResamplingFilter) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.outputs = outputs
        let scale = Double(inputSize) / Double(outputSize)
        let stretch = max(scale, 1)
        let support = filter.support * stretch
        let stride = Int(support.rounded(.up)) * 2 + 1
        let inverse = 1 / stretch
        let unit = Double(1 << Self.precisionBits)
        var first = [Int](repeating: 0, count: outputs.count)
        var count = [Int](repeating: 0, count: outputs.count)
        var weights = [Int32](repeating: 0, count: outputs.count * stride)
        var real = [Double](repeating: 0, count: stride)
        for output in outputs {
            let slot = output - outputs.lowerBound
            let center = (Double(output) + 0.5) * scale
            let low = max(Int(center - support + 0.5), 0)
            let high = min(Int(center + support + 0.5), inputSize)
            let taps = max(min(high - low, stride), 0)
            var total = 0.0
            for tap in 0..<taps {
                let weight = filter.weight((Double(tap + low) - center + 0.5) * inverse)
                real[tap] = weight
                total += weight
            }
            for tap in 0..<taps {
                let weight = total != 0 ? real[tap] / total : real[tap]
                let scaled = weight * unit
                weights[slot * stride + tap] = Int32(scaled < 0 ? -0.5 + scaled : 0.5 + scaled)
            }
            first[slot] = low
            count[slot] = taps
        }
        self.stride = stride
        self.first = first
        self.count = count
        self.weights = weights
    }

    /// The input range that the output samples read.
    var inputRange: Range<Int> {
        var low = inputSize, high = 0
        for slot in 0..<outputs.count {
            low = min(low, first[slot])
            high = max(high, first[slot] + count[slot])
        }
        return low < high ? low..<high : 0..<0
    }
}
