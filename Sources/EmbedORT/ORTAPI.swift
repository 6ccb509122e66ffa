/// Our own declarations of the ONNX Runtime C functions this package calls.
///
/// ONNX Runtime exposes its C API as a table of function pointers (`OrtApi`) returned by
/// `OrtGetApiBase()->GetApi(version)`. The table only ever grows at its end, so a slot
/// index stays valid in every later release. Each property below is the slot of one
/// function, cast to the C signature it has in the runtime.
///
/// Opaque ORT objects (`OrtEnv*`, `OrtSession*`, `OrtStatus*`, …) are `OpaquePointer`s,
/// C enums are `Int32`, `size_t` is `Int`.
struct ORTAPI: @unchecked Sendable {
    // @unchecked: every stored property is an immutable C function pointer into a library
    // that is never unloaded, so sharing the table between threads is safe.

    typealias Status = OpaquePointer?
    typealias Out = UnsafeMutablePointer<OpaquePointer?>
    typealias CString = UnsafePointer<CChar>
    typealias OutCString = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    typealias LoggingFunction = @convention(c) (
        UnsafeMutableRawPointer?, Int32, CString?, CString?, CString?, CString?
    ) -> Void

    // MARK: Status
    let createStatus: @convention(c) (Int32, CString) -> OpaquePointer?
    let getErrorCode: @convention(c) (OpaquePointer) -> Int32
    let getErrorMessage: @convention(c) (OpaquePointer) -> CString?
    let releaseStatus: @convention(c) (OpaquePointer?) -> Void

    // MARK: Environment
    let createEnvWithCustomLogger: @convention(c) (LoggingFunction?, UnsafeMutableRawPointer?, Int32, CString, Out) -> Status
    let releaseEnv: @convention(c) (OpaquePointer?) -> Void
    let getAvailableProviders: @convention(c) (
        UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>, UnsafeMutablePointer<Int32>
    ) -> Status
    let releaseAvailableProviders: @convention(c) (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, Int32) -> Status

    // MARK: Session options
    let createSessionOptions: @convention(c) (Out) -> Status
    let releaseSessionOptions: @convention(c) (OpaquePointer?) -> Void
    let setOptimizedModelFilePath: @convention(c) (OpaquePointer, CString) -> Status
    let setSessionExecutionMode: @convention(c) (OpaquePointer, Int32) -> Status
    let enableMemPattern: @convention(c) (OpaquePointer) -> Status
    let disableMemPattern: @convention(c) (OpaquePointer) -> Status
    let enableCpuMemArena: @convention(c) (OpaquePointer) -> Status
    let disableCpuMemArena: @convention(c) (OpaquePointer) -> Status
    let setSessionLogSeverityLevel: @convention(c) (OpaquePointer, Int32) -> Status
    let setSessionGraphOptimizationLevel: @convention(c) (OpaquePointer, Int32) -> Status
    let setIntraOpNumThreads: @convention(c) (OpaquePointer, Int32) -> Status
    let setInterOpNumThreads: @convention(c) (OpaquePointer, Int32) -> Status
    let addSessionConfigEntry: @convention(c) (OpaquePointer, CString, CString) -> Status
    let appendExecutionProvider: @convention(c) (
        OpaquePointer, CString, UnsafePointer<CString?>?, UnsafePointer<CString?>?, Int
    ) -> Status
    let appendExecutionProviderCUDAV2: @convention(c) (OpaquePointer, OpaquePointer) -> Status
    let createCUDAProviderOptions: @convention(c) (Out) -> Status
    let updateCUDAProviderOptions: @convention(c) (
        OpaquePointer, UnsafePointer<CString?>?, UnsafePointer<CString?>?, Int
    ) -> Status
    let releaseCUDAProviderOptions: @convention(c) (OpaquePointer?) -> Void
    let appendExecutionProviderTensorRTV2: @convention(c) (OpaquePointer, OpaquePointer) -> Status
    let createTensorRTProviderOptions: @convention(c) (Out) -> Status
    let updateTensorRTProviderOptions: @convention(c) (
        OpaquePointer, UnsafePointer<CString?>?, UnsafePointer<CString?>?, Int
    ) -> Status
    let releaseTensorRTProviderOptions: @convention(c) (OpaquePointer?) -> Void
    /// `OrtSessionOptionsAppendExecutionProvider_CoreML(options, flags)`, exported by macOS builds.
    let appendExecutionProviderCoreMLLegacy: (@convention(c) (OpaquePointer, UInt32) -> Status)?

    // MARK: Session
    let createSession: @convention(c) (OpaquePointer, CString, OpaquePointer, Out) -> Status
    let createSessionFromArray: @convention(c) (OpaquePointer, UnsafeRawPointer, Int, OpaquePointer, Out) -> Status
    let releaseSession: @convention(c) (OpaquePointer?) -> Void
    let run: @convention(c) (
        OpaquePointer, OpaquePointer?,
        UnsafePointer<CString?>, UnsafePointer<OpaquePointer?>, Int,
        UnsafePointer<CString?>, Int, UnsafeMutablePointer<OpaquePointer?>
    ) -> Status
    let sessionGetInputCount: @convention(c) (OpaquePointer, UnsafeMutablePointer<Int>) -> Status
    let sessionGetOutputCount: @convention(c) (OpaquePointer, UnsafeMutablePointer<Int>) -> Status
    let sessionGetInputTypeInfo: @convention(c) (OpaquePointer, Int, Out) -> Status
    let sessionGetOutputTypeInfo: @convention(c) (OpaquePointer, Int, Out) -> Status
    let sessionGetInputName: @convention(c) (OpaquePointer, Int, OpaquePointer, OutCString) -> Status
    let sessionGetOutputName: @convention(c) (OpaquePointer, Int, OpaquePointer, OutCString) -> Status

    // MARK: Model metadata
    let sessionGetModelMetadata: @convention(c) (OpaquePointer, Out) -> Status
    let releaseModelMetadata: @convention(c) (OpaquePointer?) -> Void
    let modelMetadataGetProducerName: @convention(c) (OpaquePointer, OpaquePointer, OutCString) -> Status
    let modelMetadataGetGraphName: @convention(c) (OpaquePointer, OpaquePointer, OutCString) -> Status
    let modelMetadataGetDomain: @convention(c) (OpaquePointer, OpaquePointer, OutCString) -> Status
    let modelMetadataGetDescription: @convention(c) (OpaquePointer, OpaquePointer, OutCString) -> Status
    let modelMetadataLookupCustomMetadataMap: @convention(c) (OpaquePointer, OpaquePointer, CString, OutCString) -> Status
    let modelMetadataGetVersion: @convention(c) (OpaquePointer, UnsafeMutablePointer<Int64>) -> Status
    let modelMetadataGetCustomMetadataMapKeys: @convention(c) (
        OpaquePointer, OpaquePointer, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        UnsafeMutablePointer<Int64>
    ) -> Status

    // MARK: Type information
    let castTypeInfoToTensorInfo: @convention(c) (OpaquePointer, Out) -> Status
    let getOnnxTypeFromTypeInfo: @convention(c) (OpaquePointer, UnsafeMutablePointer<Int32>) -> Status
    let releaseTypeInfo: @convention(c) (OpaquePointer?) -> Void
    let getTensorElementType: @convention(c) (OpaquePointer, UnsafeMutablePointer<Int32>) -> Status
    let getDimensionsCount: @convention(c) (OpaquePointer, UnsafeMutablePointer<Int>) -> Status
    let getDimensions: @convention(c) (OpaquePointer, UnsafeMutablePointer<Int64>, Int) -> Status
    let getSymbolicDimensions: @convention(c) (OpaquePointer, UnsafeMutablePointer<CString?>, Int) -> Status
    let releaseTensorTypeAndShapeInfo: @convention(c) (OpaquePointer?) -> Void

    // MARK: Values and memory
    let createCpuMemoryInfo: @convention(c) (Int32, Int32, Out) -> Status
    let releaseMemoryInfo: @convention(c) (OpaquePointer?) -> Void
    let createTensorWithDataAsOrtValue: @convention(c) (
        OpaquePointer, UnsafeMutableRawPointer, Int, UnsafePointer<Int64>, Int, Int32, Out
    ) -> Status
    let getValueType: @convention(c) (OpaquePointer, UnsafeMutablePointer<Int32>) -> Status
    let getTensorTypeAndShape: @convention(c) (OpaquePointer, Out) -> Status
    let getTensorMutableData: @convention(c) (OpaquePointer, UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> Status
    let releaseValue: @convention(c) (OpaquePointer?) -> Void
    let getAllocatorWithDefaultOptions: @convention(c) (Out) -> Status
    let allocatorFree: @convention(c) (OpaquePointer, UnsafeMutableRawPointer?) -> Status

    /// Reads the function table at `table`. Slot numbers are the positions of the
    /// functions in the `OrtApi` struct, which is append-only across releases.
    init(table: UnsafeRawPointer, coreMLLegacy: UnsafeMutableRawPointer? = nil) throws(ORTError) {
        let slots = table.assumingMemoryBound(to: UnsafeRawPointer?.self)
        func slot<F>(_ index: Int, _ name: String) throws(ORTError) -> F {
            guard let pointer = slots[index] else {
                throw ORTError(.incompatibleLibrary, "ONNX Runtime's API table has no function \(name) (slot \(index))")
            }
            return unsafeBitCast(pointer, to: F.self)
        }
        createStatus = try slot(0, "CreateStatus")
        getErrorCode = try slot(1, "GetErrorCode")
        getErrorMessage = try slot(2, "GetErrorMessage")
        createEnvWithCustomLogger = try slot(4, "CreateEnvWithCustomLogger")
        createSession = try slot(7, "CreateSession")
        createSessionFromArray = try slot(8, "CreateSessionFromArray")
        run = try slot(9, "Run")
        createSessionOptions = try slot(10, "CreateSessionOptions")
        setOptimizedModelFilePath = try slot(11, "SetOptimizedModelFilePath")
        setSessionExecutionMode = try slot(13, "SetSessionExecutionMode")
        enableMemPattern = try slot(16, "EnableMemPattern")
        disableMemPattern = try slot(17, "DisableMemPattern")
        enableCpuMemArena = try slot(18, "EnableCpuMemArena")
        disableCpuMemArena = try slot(19, "DisableCpuMemArena")
        setSessionLogSeverityLevel = try slot(22, "SetSessionLogSeverityLevel")
        setSessionGraphOptimizationLevel = try slot(23, "SetSessionGraphOptimizationLevel")
        setIntraOpNumThreads = try slot(24, "SetIntraOpNumThreads")
        setInterOpNumThreads = try slot(25, "SetInterOpNumThreads")
        sessionGetInputCount = try slot(30, "SessionGetInputCount")
        sessionGetOutputCount = try slot(31, "SessionGetOutputCount")
        sessionGetInputTypeInfo = try slot(33, "SessionGetInputTypeInfo")
        sessionGetOutputTypeInfo = try slot(34, "SessionGetOutputTypeInfo")
        sessionGetInputName = try slot(36, "SessionGetInputName")
        sessionGetOutputName = try slot(37, "SessionGetOutputName")
        createTensorWithDataAsOrtValue = try slot(49, "CreateTensorWithDataAsOrtValue")
        getTensorMutableData = try slot(51, "GetTensorMutableData")
        castTypeInfoToTensorInfo = try slot(55, "CastTypeInfoToTensorInfo")
        getOnnxTypeFromTypeInfo = try slot(56, "GetOnnxTypeFromTypeInfo")
        getTensorElementType = try slot(60, "GetTensorElementType")
        getDimensionsCount = try slot(61, "GetDimensionsCount")
        getDimensions = try slot(62, "GetDimensions")
        getSymbolicDimensions = try slot(63, "GetSymbolicDimensions")
        getTensorTypeAndShape = try slot(65, "GetTensorTypeAndShape")
        getValueType = try slot(67, "GetValueType")
        createCpuMemoryInfo = try slot(69, "CreateCpuMemoryInfo")
        allocatorFree = try slot(76, "AllocatorFree")
        getAllocatorWithDefaultOptions = try slot(78, "GetAllocatorWithDefaultOptions")
        releaseEnv = try slot(92, "ReleaseEnv")
        releaseStatus = try slot(93, "ReleaseStatus")
        releaseMemoryInfo = try slot(94, "ReleaseMemoryInfo")
        releaseSession = try slot(95, "ReleaseSession")
        releaseValue = try slot(96, "ReleaseValue")
        releaseTypeInfo = try slot(98, "ReleaseTypeInfo")
        releaseTensorTypeAndShapeInfo = try slot(99, "ReleaseTensorTypeAndShapeInfo")
        releaseSessionOptions = try slot(100, "ReleaseSessionOptions")
        sessionGetModelMetadata = try slot(111, "SessionGetModelMetadata")
        modelMetadataGetProducerName = try slot(112, "ModelMetadataGetProducerName")
        modelMetadataGetGraphName = try slot(113, "ModelMetadataGetGraphName")
        modelMetadataGetDomain = try slot(114, "ModelMetadataGetDomain")
        modelMetadataGetDescription = try slot(115, "ModelMetadataGetDescription")
        modelMetadataLookupCustomMetadataMap = try slot(116, "ModelMetadataLookupCustomMetadataMap")
        modelMetadataGetVersion = try slot(117, "ModelMetadataGetVersion")
        releaseModelMetadata = try slot(118, "ReleaseModelMetadata")
        modelMetadataGetCustomMetadataMapKeys = try slot(123, "ModelMetadataGetCustomMetadataMapKeys")
        getAvailableProviders = try slot(125, "GetAvailableProviders")
        releaseAvailableProviders = try slot(126, "ReleaseAvailableProviders")
        addSessionConfigEntry = try slot(130, "AddSessionConfigEntry")
        appendExecutionProvider = try slot(216, "SessionOptionsAppendExecutionProvider")
        appendExecutionProviderTensorRTV2 = try slot(170, "SessionOptionsAppendExecutionProvider_TensorRT_V2")
        createTensorRTProviderOptions = try slot(171, "CreateTensorRTProviderOptions")
        updateTensorRTProviderOptions = try slot(172, "UpdateTensorRTProviderOptions")
        releaseTensorRTProviderOptions = try slot(174, "ReleaseTensorRTProviderOptions")
        appendExecutionProviderCUDAV2 = try slot(204, "SessionOptionsAppendExecutionProvider_CUDA_V2")
        createCUDAProviderOptions = try slot(205, "CreateCUDAProviderOptions")
        updateCUDAProviderOptions = try slot(206, "UpdateCUDAProviderOptions")
        releaseCUDAProviderOptions = try slot(208, "ReleaseCUDAProviderOptions")
        appendExecutionProviderCoreMLLegacy = coreMLLegacy.map {
            unsafeBitCast($0, to: (@convention(c) (OpaquePointer, UInt32) -> Status).self)
        }
    }
}

extension ORTAPI {
    /// The one place where an `OrtStatus*` becomes a Swift error.
    ///
    /// A null status means success. Otherwise the code and message are copied, the status
    /// is released (exactly once, here) and an ``ORTError`` naming `operation` is thrown.
    func check(_ status: OpaquePointer?, _ operation: @autoclosure () -> String) throws(ORTError) {
        guard let status else { return }
        let rawCode = getErrorCode(status)
        let message = getErrorMessage(status).map { String(cString: $0) } ?? "(no message)"
        releaseStatus(status)
        let code = ORTError.RuntimeCode(rawValue: rawCode) ?? .unknown
        throw ORTError(.runtime(code), "\(operation()): \(message)")
    }

    /// Calls a function that returns a new object through an out-pointer, checks its status
    /// and returns the object, which the caller then owns.
    func make(_ operation: @autoclosure () -> String, _ body: (Out) -> Status) throws(ORTError) -> OpaquePointer {
        var result: OpaquePointer?
        try check(body(&result), operation())
        guard let result else {
            throw ORTError(.runtime(.fail), "\(operation()): ONNX Runtime returned no object")
        }
        return result
    }

    /// Copies a string that ORT allocated with `allocator`, then frees it with the same allocator.
    func takeString(_ pointer: UnsafeMutablePointer<CChar>?, allocator: OpaquePointer) -> String? {
        guard let pointer else { return nil }
        let string = String(cString: pointer)
        try? check(allocatorFree(allocator, pointer), "AllocatorFree")
        return string
    }
}
