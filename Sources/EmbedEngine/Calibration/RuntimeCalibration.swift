public import Foundation

/// What `runtime: auto` measured on this machine for one model: each candidate runtime and
/// precision, its speed against ONNX Runtime f32 on the same texts in alternating rounds,
/// its vectors' agreement with ONNX Runtime's, and the one chosen.
///
/// The choice is the fastest candidate whose minimum cosine against ONNX Runtime f32 is at
/// least ``minimumCosine`` and whose speed-up is at least ``minimumSpeedup`` (ONNX Runtime
/// otherwise: a tie within the host's noise keeps the default). It is cached beside the
/// optimised-graph cache, keyed by the model file, both runtimes' versions, the threads and
/// the CPU, and measured again by `embed bench --calibrate`.
public struct RuntimeCalibration: Sendable, Codable, Equatable {
    /// One runtime and precision tried.
    public struct Candidate: Sendable, Codable, Equatable {
        /// `onnxruntime` or `openvino`.
        public var runtime: String
        /// `f32` or `bf16`.
        public var precision: String
        /// The engine that ran, e.g. `openvino 2026.4.1 (CPU, bf16)`.
        public var engine: String?
        /// The median time of one round (all calibration texts), in seconds.
        public var secondsPerRound: Double?
        /// The median over rounds of ONNX Runtime f32's time ÷ this candidate's time.
        public var speedup: Double?
        /// The smallest cosine between this candidate's vector and ONNX Runtime f32's.
        public var minCosine: Double?
        /// Why it was not measured (no OpenVINO library, no native bf16, a quantized model…).
        public var unavailable: String?

        /// `openvino bf16`.
        public var name: String { "\(runtime) \(precision)" }
    }

    /// The record's format.
    public var version = 1
    /// What the measurement depends on (see the type's notes), as text.
    public var key: String
    /// When it was measured.
    public var measured: Date
    /// The texts per round and the rounds.
    public var texts: Int
    public var rounds: Int
    /// Every candidate, ONNX Runtime f32 first.
    public var candidates: [Candidate]
    /// The index of the chosen one in ``candidates``.
    public var chosen: Int

    /// The quality a candidate must keep.
    public static let minimumCosine = 0.9999
    /// The speed-up a candidate must show to replace ONNX Runtime.
    public static let minimumSpeedup = 1.05

    /// The chosen candidate.
    public var choice: Candidate { candidates[chosen] }

    /// The index of the fastest candidate that keeps the quality, else 0 (ONNX Runtime f32).
    static func choose(_ candidates: [Candidate]) -> Int {
        var best = 0
        var bestSpeedup = minimumSpeedup
        for (index, candidate) in candidates.enumerated().dropFirst() {
            guard let speedup = candidate.speedup, let cosine = candidate.minCosine,
                cosine >= minimumCosine, speedup >= bestSpeedup
            else { continue }
            best = index
            bestSpeedup = speedup
        }
        return best
    }

    /// One line per candidate, for logs and `embed bench --calibrate`.
    public var summary: [String] {
        candidates.enumerated().map { index, candidate in
            let mark = index == chosen ? "*" : " "
            guard candidate.unavailable == nil, let seconds = candidate.secondsPerRound else {
                return "\(mark) \(candidate.name): not measured (\(candidate.unavailable ?? "no result"))"
            }
            let speedup = candidate.speedup.map { String(format: "%.2f×", $0) } ?? "-"
            let cosine = candidate.minCosine.map { String(format: "%.6f", $0) } ?? "-"
            return "\(mark) \(candidate.name): \(String(format: "%.3f", seconds)) s per round, \(speedup) onnxruntime f32, "
                + "min cosine \(cosine)"
        }
    }
}
