#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Our own declarations of the OpenVINO C functions this package calls, resolved with
/// `dlsym` from `libopenvino_c`.
///
/// The signatures follow the facts in OpenVINO's public C headers (`openvino/c/*.h`):
///
/// * every opaque object (`ov_core_t*`, `ov_model_t*`, `ov_compiled_model_t*`,
///   `ov_infer_request_t*`, `ov_tensor_t*`, `ov_output_const_port_t*`) is an `OpaquePointer`;
/// * `ov_status_e` is a C `int` (`Int32`, `0` = OK, negative = error); `ov_element_type_e`
///   has only non-negative values, so its C type is `unsigned int` (`UInt32`); `size_t` is `Int`;
/// * the small structs that the library fills through a pointer (`ov_version_t`,
///   `ov_shape_t`, `ov_partial_shape_t`, `ov_available_devices_t`) are raw memory that
///   ``OVCStruct`` reads at the field offsets the headers define;
/// * `ov_shape_t` (`{ int64_t rank; int64_t* dims; }`) is also passed **by value** to
///   `ov_tensor_create`. A Swift struct cannot cross `@convention(c)`, so the argument is
///   declared as the C library's own `lldiv_t` (`{ long long quot; long long rem; }`): a C
///   struct of the same size, alignment and member classes (two 8-byte integer-class
///   members on every 64-bit target), which the compiler passes by the platform's C rules
///   for such a struct (two registers on x86-64 SysV and arm64/AAPCS64, by reference on
///   Windows x64). ``OVShape`` stores the dims pointer's bits in `rem`.
///   ``OVLibrary`` refuses to load on a platform where the sizes differ.
///
/// No variadic function is declared: properties go through the `_props` entry points
/// (`ov_core_compile_model_props`, `ov_core_compile_model_from_file_props`,
/// `ov_core_set_properties`), which take an array of
/// `ov_property_t` (`{ const char* key; const void* value; }`), see ``OVProperties``.
struct OVAPI: @unchecked Sendable {
    // @unchecked: every stored property is an immutable C function pointer into a library
    // that is never unloaded, so sharing the table between threads is safe.

    typealias Status = Int32
    typealias Handle = OpaquePointer
    typealias Out = UnsafeMutablePointer<OpaquePointer?>
    typealias CString = UnsafePointer<CChar>
    typealias OutCString = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    typealias Raw = UnsafeMutableRawPointer
    /// `const ov_property_t*`: `2 × count` pointers, key then value.
    typealias PropertyArray = UnsafePointer<UnsafeRawPointer?>
    /// `ov_shape_t` passed by value (see the type's documentation).
    typealias ShapeValue = lldiv_t

    // MARK: Errors, strings, version (ov_common.h, ov_core.h)
    let getErrorInfo: @convention(c) (Status) -> CString?
    let getLastErrorMessage: @convention(c) () -> CString?
    let free: @convention(c) (CString?) -> Void
    let getVersion: @convention(c) (Raw) -> Status
    let freeVersion: @convention(c) (Raw) -> Void

    // MARK: Core (ov_core.h)
    let coreCreate: @convention(c) (Out) -> Status
    let coreFree: @convention(c) (Handle?) -> Void
    let coreReadModel: @convention(c) (Handle, CString, CString?, Out) -> Status
    let coreCompileModelProps: @convention(c) (Handle, Handle, CString?, Int, PropertyArray?, Out) -> Status
    let coreCompileModelFromFileProps: @convention(c) (Handle, CString, CString?, Int, PropertyArray?, Out) -> Status
    let coreSetProperties: @convention(c) (Handle, CString?, Int, PropertyArray?) -> Status
    let coreGetProperty: @convention(c) (Handle, CString?, CString, OutCString) -> Status
    let coreGetAvailableDevices: @convention(c) (Handle, Raw) -> Status
    let freeAvailableDevices: @convention(c) (Raw) -> Void

    // MARK: Model (ov_model.h)
    let modelFree: @convention(c) (Handle?) -> Void
    let modelInputsSize: @convention(c) (Handle, UnsafeMutablePointer<Int>) -> Status
    let modelOutputsSize: @convention(c) (Handle, UnsafeMutablePointer<Int>) -> Status
    let modelInputByIndex: @convention(c) (Handle, Int, Out) -> Status
    let modelOutputByIndex: @convention(c) (Handle, Int, Out) -> Status

    // MARK: Compiled model (ov_compiled_model.h)
    let compiledModelFree: @convention(c) (Handle?) -> Void
    let compiledModelInputsSize: @convention(c) (Handle, UnsafeMutablePointer<Int>) -> Status
    let compiledModelOutputsSize: @convention(c) (Handle, UnsafeMutablePointer<Int>) -> Status
    let compiledModelInputByIndex: @convention(c) (Handle, Int, Out) -> Status
    let compiledModelOutputByIndex: @convention(c) (Handle, Int, Out) -> Status
    let compiledModelCreateInferRequest: @convention(c) (Handle, Out) -> Status
    let compiledModelGetProperty: @convention(c) (Handle, CString, OutCString) -> Status

    // MARK: Ports and shapes (ov_node.h, ov_partial_shape.h, ov_shape.h)
    let portGetAnyName: @convention(c) (Handle, OutCString) -> Status
    let portGetElementType: @convention(c) (Handle, UnsafeMutablePointer<UInt32>) -> Status
    let portGetPartialShape: @convention(c) (Handle, Raw) -> Status
    let partialShapeFree: @convention(c) (Raw) -> Void
    let constPortFree: @convention(c) (Handle?) -> Void
    let shapeCreate: @convention(c) (Int64, UnsafePointer<Int64>?, Raw) -> Status
    let shapeFree: @convention(c) (Raw) -> Status

    // MARK: Tensors (ov_tensor.h)
    let tensorCreate: @convention(c) (UInt32, ShapeValue, Out) -> Status
    let tensorGetShape: @convention(c) (Handle, Raw) -> Status
    let tensorGetElementType: @convention(c) (Handle, UnsafeMutablePointer<UInt32>) -> Status
    let tensorGetByteSize: @convention(c) (Handle, UnsafeMutablePointer<Int>) -> Status
    let tensorData: @convention(c) (Handle, UnsafeMutablePointer<Raw?>) -> Status
    let tensorFree: @convention(c) (Handle?) -> Void

    // MARK: Infer requests (ov_infer_request.h)
    let inferRequestSetInputTensorByIndex: @convention(c) (Handle, Int, Handle) -> Status
    let inferRequestGetOutputTensorByIndex: @convention(c) (Handle, Int, Out) -> Status
    let inferRequestInfer: @convention(c) (Handle) -> Status
    let inferRequestFree: @convention(c) (Handle?) -> Void

    /// Resolves every function in the library at `handle`; a missing one is an
    /// ``OVError/Code/incompatibleLibrary`` error naming it and the file.
    init(handle: UnsafeMutableRawPointer, path: String) throws(OVError) {
        func symbol<F>(_ name: String) throws(OVError) -> F {
            guard let pointer = dlsym(handle, name) else {
                throw OVError(
                    .incompatibleLibrary,
                    "\(path) has no function \(name): swift-embed needs OpenVINO \(OVLibrary.minimumVersion) or newer")
            }
            return unsafeBitCast(pointer, to: F.self)
        }
        getErrorInfo = try symbol("ov_get_error_info")
        getLastErrorMessage = try symbol("ov_get_last_err_msg")
        free = try symbol("ov_free")
        getVersion = try symbol("ov_get_openvino_version")
        freeVersion = try symbol("ov_version_free")
        coreCreate = try symbol("ov_core_create")
        coreFree = try symbol("ov_core_free")
        coreReadModel = try symbol("ov_core_read_model")
        coreCompileModelProps = try symbol("ov_core_compile_model_props")
        coreCompileModelFromFileProps = try symbol("ov_core_compile_model_from_file_props")
        coreSetProperties = try symbol("ov_core_set_properties")
        coreGetProperty = try symbol("ov_core_get_property")
        coreGetAvailableDevices = try symbol("ov_core_get_available_devices")
        freeAvailableDevices = try symbol("ov_available_devices_free")
        modelFree = try symbol("ov_model_free")
        modelInputsSize = try symbol("ov_model_inputs_size")
        modelOutputsSize = try symbol("ov_model_outputs_size")
        modelInputByIndex = try symbol("ov_model_const_input_by_index")
        modelOutputByIndex = try symbol("ov_model_const_output_by_index")
        compiledModelFree = try symbol("ov_compiled_model_free")
        compiledModelInputsSize = try symbol("ov_compiled_model_inputs_size")
        compiledModelOutputsSize = try symbol("ov_compiled_model_outputs_size")
        compiledModelInputByIndex = try symbol("ov_compiled_model_input_by_index")
        compiledModelOutputByIndex = try symbol("ov_compiled_model_output_by_index")
        compiledModelCreateInferRequest = try symbol("ov_compiled_model_create_infer_request")
        compiledModelGetProperty = try symbol("ov_compiled_model_get_property")
        portGetAnyName = try symbol("ov_port_get_any_name")
        portGetElementType = try symbol("ov_port_get_element_type")
        portGetPartialShape = try symbol("ov_port_get_partial_shape")
        partialShapeFree = try symbol("ov_partial_shape_free")
        constPortFree = try symbol("ov_output_const_port_free")
        shapeCreate = try symbol("ov_shape_create")
        shapeFree = try symbol("ov_shape_free")
        tensorCreate = try symbol("ov_tensor_create")
        tensorGetShape = try symbol("ov_tensor_get_shape")
        tensorGetElementType = try symbol("ov_tensor_get_element_type")
        tensorGetByteSize = try symbol("ov_tensor_get_byte_size")
        tensorData = try symbol("ov_tensor_data")
        tensorFree = try symbol("ov_tensor_free")
        inferRequestSetInputTensorByIndex = try symbol("ov_infer_request_set_input_tensor_by_index")
        inferRequestGetOutputTensorByIndex = try symbol("ov_infer_request_get_output_tensor_by_index")
        inferRequestInfer = try symbol("ov_infer_request_infer")
        inferRequestFree = try symbol("ov_infer_request_free")
    }
}
