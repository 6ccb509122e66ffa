public import EmbedOpenVINO

/// How the OpenVINO runtime compiles and runs a model (``EmbedderConfiguration/runtime``
/// ``EmbedderConfiguration/Runtime/openVINO``). Every field has a default.
///
/// The precision is always passed explicitly: on CPUs with native bf16 OpenVINO would pick
/// bf16 by itself. The precision it actually runs is read back and reported in
/// ``RuntimeDetails/inferencePrecision`` and in the engine name.
public struct OpenVINOConfiguration: Sendable, Equatable {
    /// The precision OpenVINO computes in.
    public enum Precision: String, Sendable, Equatable, CaseIterable {
        /// IEEE single precision: the vectors ONNX Runtime gives (cosine ≥ 0.99999).
        case f32
        /// bfloat16 where the CPU has it natively (AVX512_BF16, AMX); measured cosine ≥ 0.9999
        /// against f32 on all-MiniLM-L6-v2. Refused at load on a CPU without native bf16
        /// (it would be emulated, slower than f32).
        case bf16
    }

    /// The precision; `f32` by default.
    public var precision: Precision
    /// OpenVINO's performance hint; `latency` (one stream per worker, all threads on one
    /// batch) suits the engine, which runs one batch per worker.
    public var performanceHint: OVCompileOptions.PerformanceHint
    /// Where to find `libopenvino_c`.
    public var library: OVLibraryConfiguration
    /// OpenVINO's own model cache folder (compiled blobs: a faster second start); `nil`: none.
    public var modelCacheDirectory: String?
    /// The device; only `CPU` is tested.
    public var device: String

    /// Creates a configuration.
    public init(
        precision: Precision = .f32, performanceHint: OVCompileOptions.PerformanceHint = .latency,
        library: OVLibraryConfiguration = .init(), modelCacheDirectory: String? = nil, device: String = "CPU"
    ) {
        self.precision = precision
        self.performanceHint = performanceHint
        self.library = library
        self.modelCacheDirectory = modelCacheDirectory
        self.device = device
    }

    var compilePrecision: OVCompileOptions.Precision {
        switch precision {
        case .f32: .f32
        case .bf16: .bf16
        }
    }
}
