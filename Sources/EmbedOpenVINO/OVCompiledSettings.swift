/// The settings a compiled model actually runs with, read back from OpenVINO after
/// compiling (they can differ from what was asked: a precision the device lacks is
/// replaced, a performance hint picks the streams and threads).
public struct OVCompiledSettings: Sendable, Equatable {
    /// The effective `INFERENCE_PRECISION_HINT` as OpenVINO prints it (`f32`, `bf16`).
    public var inferencePrecisionName: String
    /// The effective `PERFORMANCE_HINT` (`LATENCY`, `THROUGHPUT`).
    public var performanceHint: String
    /// The effective `INFERENCE_NUM_THREADS`, when the device reports it.
    public var threads: Int?
    /// The effective `NUM_STREAMS`, when the device reports it.
    public var streams: Int?
    /// `OPTIMAL_NUMBER_OF_INFER_REQUESTS`: how many requests keep the device busy.
    public var optimalInferRequests: Int?
    /// `LOADED_FROM_CACHE`: whether this compile was loaded from OpenVINO's model cache.
    public var loadedFromCache: Bool?

    /// Creates settings.
    public init(
        inferencePrecisionName: String, performanceHint: String, threads: Int?, streams: Int?, optimalInferRequests: Int?,
        loadedFromCache: Bool? = nil
    ) {
        self.inferencePrecisionName = inferencePrecisionName
        self.performanceHint = performanceHint
        self.threads = threads
        self.streams = streams
        self.optimalInferRequests = optimalInferRequests
        self.loadedFromCache = loadedFromCache
    }

    /// The effective precision, when it is one of ``OVCompileOptions/Precision``.
    public var inferencePrecision: OVCompileOptions.Precision? {
        OVCompileOptions.Precision(rawValue: inferencePrecisionName.lowercased())
    }
}

extension OVCompiledSettings {
    /// Reads the settings through `read`, which returns `nil` for a property the device
    /// does not report.
    init(read: (String) -> String?) {
        self.init(
            inferencePrecisionName: read(OVPropertyKey.inferencePrecision) ?? "",
            performanceHint: read(OVPropertyKey.performanceHint) ?? "",
            threads: read(OVPropertyKey.inferenceThreads).flatMap { Int($0) },
            streams: read(OVPropertyKey.streams).flatMap { Int($0) },
            optimalInferRequests: read(OVPropertyKey.optimalInferRequests).flatMap { Int($0) },
            loadedFromCache: read(OVPropertyKey.loadedFromCache).map { $0 == "YES" || $0 == "true" })
    }
}
