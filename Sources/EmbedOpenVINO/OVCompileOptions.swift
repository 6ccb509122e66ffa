/// How OpenVINO compiles a model for a device: the properties this project sets, typed.
///
/// Each field becomes one OpenVINO property, passed to `ov_core_compile_model_props`
/// (the non-variadic compile entry point) as a string value; a `nil` field is not passed,
/// so the device's own default applies. The values OpenVINO actually chose can be read
/// back on ``OVCompiledModel/settings``.
public struct OVCompileOptions: Sendable, Equatable {
    /// The precision the device computes in (`INFERENCE_PRECISION_HINT`). Inputs and
    /// outputs keep the model's own types (f32 outputs stay f32).
    public enum Precision: String, Sendable, CaseIterable {
        /// IEEE single precision.
        case f32
        /// bfloat16: native on CPUs with AVX512_BF16 or AMX (OpenVINO's CPU plugin lists
        /// `BF16` in its `OPTIMIZATION_CAPABILITIES` there, and then defaults to it).
        case bf16
        /// IEEE half precision (CPUs with AVX512_FP16 or AMX_FP16).
        case f16
    }

    /// What the device optimises for (`PERFORMANCE_HINT`).
    public enum PerformanceHint: String, Sendable, CaseIterable {
        /// One request at a time as fast as possible (one stream).
        case latency = "LATENCY"
        /// Many requests in flight (several streams).
        case throughput = "THROUGHPUT"
        /// Throughput across several devices.
        case cumulativeThroughput = "CUMULATIVE_THROUGHPUT"
    }

    /// `INFERENCE_PRECISION_HINT`; `nil` leaves the device default, which on a CPU with
    /// native bf16 **is bf16**. The default here is `f32`, which matches ONNX Runtime.
    public var precision: Precision?
    /// `PERFORMANCE_HINT`; `nil` leaves the device default.
    public var performanceHint: PerformanceHint?
    /// `INFERENCE_NUM_THREADS`: the threads used for inference; `0` lets OpenVINO choose.
    public var threads: Int
    /// `NUM_STREAMS`: how many requests can run in parallel on the device; `nil` lets the
    /// performance hint decide.
    public var streams: Int?
    /// `CACHE_DIR`: a folder where OpenVINO keeps compiled models and loads them from on the
    /// next compile of the same model with the same options (much faster); `nil` disables it.
    public var cacheDirectory: String?
    /// Further properties by their OpenVINO name (`ENABLE_HYPER_THREADING` = `NO`, …);
    /// applied after the typed ones, so they win.
    public var additionalProperties: [String: String]

    /// Creates options.
    public init(
        precision: Precision? = .f32,
        performanceHint: PerformanceHint? = .latency,
        threads: Int = 0,
        streams: Int? = nil,
        cacheDirectory: String? = nil,
        additionalProperties: [String: String] = [:]
    ) {
        self.precision = precision
        self.performanceHint = performanceHint
        self.threads = threads
        self.streams = streams
        self.cacheDirectory = cacheDirectory
        self.additionalProperties = additionalProperties
    }

    /// The properties as OpenVINO key/value strings, in the order they are passed.
    public func properties() throws(OVError) -> [(key: String, value: String)] {
        guard threads >= 0, threads <= Int(Int32.max) else {
            throw OVError(.invalidArgument, "INFERENCE_NUM_THREADS must be 0 (automatic) or positive, got \(threads)")
        }
        if let streams, streams < 1 || streams > Int(Int32.max) {
            throw OVError(.invalidArgument, "NUM_STREAMS must be 1 or more, got \(streams)")
        }
        if let cacheDirectory, cacheDirectory.isEmpty {
            throw OVError(.invalidArgument, "CACHE_DIR must name a folder; use nil to disable the model cache")
        }
        var result: [(key: String, value: String)] = []
        if let precision { result.append((OVPropertyKey.inferencePrecision, precision.rawValue)) }
        if let performanceHint { result.append((OVPropertyKey.performanceHint, performanceHint.rawValue)) }
        if threads > 0 { result.append((OVPropertyKey.inferenceThreads, String(threads))) }
        if let streams { result.append((OVPropertyKey.streams, String(streams))) }
        if let cacheDirectory { result.append((OVPropertyKey.cacheDirectory, cacheDirectory)) }
        for (key, value) in additionalProperties.sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty else { throw OVError(.invalidArgument, "a property has an empty name (value '\(value)')") }
            result.removeAll { $0.key == key }
            result.append((key, value))
        }
        return result
    }
}
