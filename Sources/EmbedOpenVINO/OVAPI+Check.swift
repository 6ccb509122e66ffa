import Foundation

extension OVAPI {
    /// The one place where an `ov_status_e` becomes a Swift error.
    ///
    /// `0` (OK) returns. Any other status throws an ``OVError`` with
    /// ``OVError/Code/runtime(_:)``, whose message names `operation` (the file, input or
    /// property at fault), the status and OpenVINO's own explanation:
    ///
    /// * OpenVINO keeps the text of the last C++ exception it turned into a status in one
    ///   process-wide slot (`ov_get_last_err_msg`, a copy we free with `ov_free`). The slot
    ///   is not cleared on success and not per thread: a status that OpenVINO returns
    ///   without an exception (`INVALID_C_PARAM`, from its argument checks) would show a
    ///   stale text, so for that status only the static description is used; and when two
    ///   threads fail at the same moment, one may read the other's text. The status code
    ///   itself is always this call's.
    func check(_ status: Status, _ operation: @autoclosure () -> String) throws(OVError) {
        guard status != 0 else { return }
        let code = OVError.Status(rawValue: status) ?? .unknown
        let summary = getErrorInfo(status).map { String(cString: $0) } ?? "status \(status)"
        var detail = ""
        if code != .invalidCParameter, let message = getLastErrorMessage() {
            detail = Self.condense(String(cString: message))
            free(message)
        }
        let text = detail.isEmpty ? summary : "\(summary): \(detail)"
        throw OVError(.runtime(code), "\(operation()): \(text)")
    }

    /// Calls a function that returns a new object through an out-pointer, checks its
    /// status and returns the object, which the caller then owns and must free.
    func make(_ operation: @autoclosure () -> String, _ body: (Out) -> Status) throws(OVError) -> OpaquePointer {
        var result: OpaquePointer?
        try check(body(&result), operation())
        guard let result else {
            throw OVError(.runtime(.generalError), "\(operation()): OpenVINO returned no object")
        }
        return result
    }

    /// Calls a function that returns a string it allocated (`char**`), copies the string
    /// and frees it with `ov_free`.
    func string(_ operation: @autoclosure () -> String, _ body: (OutCString) -> Status) throws(OVError) -> String {
        var pointer: UnsafeMutablePointer<CChar>?
        let status = body(&pointer)
        defer { if let pointer { free(pointer) } }
        try check(status, operation())
        return pointer.map { String(cString: $0) } ?? ""
    }

    /// OpenVINO's messages carry a chain of `Exception from src/…cpp:NN:` lines and blank
    /// lines; keep the lines that say what went wrong, joined on one line.
    static func condense(_ message: String) -> String {
        let lines = message.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("Exception from ") }
        return lines.isEmpty ? message.trimmingCharacters(in: .whitespacesAndNewlines) : lines.joined(separator: " ")
    }
}
