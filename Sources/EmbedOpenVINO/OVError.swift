/// The one error type of `EmbedOpenVINO`.
///
/// Errors raised by OpenVINO carry its `ov_status_e` and its own message; errors raised
/// by the binding (no library, a tensor whose values do not fill its shape, an unknown
/// input name) have their own codes. The message always names the thing at fault: the
/// file, the input, the property, the version.
public struct OVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// No OpenVINO C library was found in any searched location.
        case libraryNotFound
        /// A library was found but cannot be used (not OpenVINO, too old, a missing function).
        case incompatibleLibrary
        /// A value given to the binding is invalid: a shape that does not match its values,
        /// an unknown input name, an input of the wrong rank, element type or size.
        case invalidArgument
        /// A model file does not exist.
        case fileNotFound
        /// An output does not hold the element type that was asked for.
        case typeMismatch
        /// OpenVINO returned an error status.
        case runtime(Status)
    }

    /// OpenVINO's status codes (`ov_status_e`), by their C values.
    public enum Status: Int32, Sendable, Equatable {
        /// `GENERAL_ERROR`: any C++ `ov::Exception`, the usual failure (bad file, bad shape…).
        case generalError = -1
        /// `NOT_IMPLEMENTED`, e.g. setting a property on a model the CPU plugin already compiled.
        case notImplemented = -2
        /// `NETWORK_NOT_LOADED`
        case networkNotLoaded = -3
        /// `PARAMETER_MISMATCH`
        case parameterMismatch = -4
        /// `NOT_FOUND`
        case notFound = -5
        /// `OUT_OF_BOUNDS`
        case outOfBounds = -6
        /// `UNEXPECTED`
        case unexpected = -7
        /// `REQUEST_BUSY`: an infer request that is already running.
        case requestBusy = -8
        /// `RESULT_NOT_READY`
        case resultNotReady = -9
        /// `NOT_ALLOCATED`
        case notAllocated = -10
        /// `INFER_NOT_STARTED`
        case inferNotStarted = -11
        /// `NETWORK_NOT_READ`
        case networkNotRead = -12
        /// `INFER_CANCELLED`
        case inferCancelled = -13
        /// `INVALID_C_PARAM`: the C layer's own argument checks (an index out of range…).
        case invalidCParameter = -14
        /// `UNKNOWN_C_ERROR`
        case unknownCError = -15
        /// `NOT_IMPLEMENT_C_METHOD`
        case notImplementedCMethod = -16
        /// `UNKNOW_EXCEPTION`: a C++ exception that is not an `ov::Exception`.
        case unknownException = -17
        /// A status this binding does not know (a newer library).
        case unknown = 1
    }

    /// The kind of failure.
    public var code: Code
    /// A message that names what failed and, where possible, how to fix it.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message, prefixed with the status when OpenVINO raised the error.
    public var description: String {
        switch code {
        case .runtime(let status): "OpenVINO error (\(status)): \(message)"
        default: message
        }
    }
}
