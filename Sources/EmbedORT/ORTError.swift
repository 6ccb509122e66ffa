/// The one error type of `EmbedORT`.
///
/// Errors raised by ONNX Runtime itself carry ORT's own error code and message; errors
/// raised by the binding (a library that cannot be found, a tensor whose shape does not
/// match its data) have their own codes. The message always names the thing at fault:
/// the path, the input name, the version.
public struct ORTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// No ONNX Runtime library was found in any searched location.
        case libraryNotFound
        /// A library was found but could not be used (not ONNX Runtime, too old, missing symbol).
        case incompatibleLibrary
        /// A value passed to the binding is invalid (shape/data mismatch, unknown input name).
        case invalidArgument
        /// A tensor does not hold the element type that was asked for.
        case typeMismatch
        /// ONNX Runtime reported an error; the associated value is its `OrtErrorCode`.
        case runtime(RuntimeCode)
    }

    /// ONNX Runtime's own error codes (`OrtErrorCode`), by their C values.
    public enum RuntimeCode: Int32, Sendable, Equatable {
        case fail = 1
        case invalidArgument = 2
        case noSuchFile = 3
        case noModel = 4
        case engineError = 5
        case runtimeException = 6
        case invalidProtobuf = 7
        case modelLoaded = 8
        case notImplemented = 9
        case invalidGraph = 10
        case executionProviderFailed = 11
        case modelLoadCanceled = 12
        case modelRequiresCompilation = 13
        case notFound = 14
        case deviceReset = 15
        /// A code this binding does not know (a newer runtime).
        case unknown = -1
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

    /// The message, prefixed with the runtime code when ONNX Runtime raised the error.
    public var description: String {
        switch code {
        case .runtime(let runtimeCode): "ONNX Runtime error (\(runtimeCode)): \(message)"
        default: message
        }
    }
}
