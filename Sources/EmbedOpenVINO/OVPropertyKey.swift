/// The names of the OpenVINO properties this package reads and writes. They are OpenVINO's
/// public property names (the C header exports the same strings as `ov_property_key_*`).
public enum OVPropertyKey {
    /// `INFERENCE_PRECISION_HINT`: `f32`, `bf16`, `f16`.
    public static let inferencePrecision = "INFERENCE_PRECISION_HINT"
    /// `PERFORMANCE_HINT`: `LATENCY`, `THROUGHPUT`, `CUMULATIVE_THROUGHPUT`.
    public static let performanceHint = "PERFORMANCE_HINT"
    /// `INFERENCE_NUM_THREADS`: a count.
    public static let inferenceThreads = "INFERENCE_NUM_THREADS"
    /// `NUM_STREAMS`: a count.
    public static let streams = "NUM_STREAMS"
    /// `CACHE_DIR`: the model cache folder.
    public static let cacheDirectory = "CACHE_DIR"
    /// `OPTIMIZATION_CAPABILITIES` (read-only, per device): `FP32 BF16 FP16 INT8 …`.
    public static let optimizationCapabilities = "OPTIMIZATION_CAPABILITIES"
    /// `FULL_DEVICE_NAME` (read-only, per device).
    public static let fullDeviceName = "FULL_DEVICE_NAME"
    /// `OPTIMAL_NUMBER_OF_INFER_REQUESTS` (read-only, per compiled model).
    public static let optimalInferRequests = "OPTIMAL_NUMBER_OF_INFER_REQUESTS"
    /// `LOADED_FROM_CACHE` (read-only, per compiled model): `YES` when the model cache was hit.
    public static let loadedFromCache = "LOADED_FROM_CACHE"
    /// `EXECUTION_MODE_HINT`: `PERFORMANCE` or `ACCURACY`.
    public static let executionMode = "EXECUTION_MODE_HINT"
}
