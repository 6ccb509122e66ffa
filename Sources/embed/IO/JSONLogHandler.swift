import Foundation
import Logging

/// How log lines are written (`log_format`).
enum LogFormat: String, CaseIterable {
    /// swift-log's `StreamLogHandler` lines.
    case text
    /// One JSON object per line (``JSONLogHandler``).
    case json
}

/// Log lines as one JSON object each, on standard error: `timestamp` (ISO 8601, UTC),
/// `level`, `label`, `message`, then every metadata key as a field (a request's `method`,
/// `path`, `route`, `status`, `duration_ms`…), the event's `error` when it has one.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Where lines go (standard error; tests collect them).
    let write: @Sendable (String) -> Void

    init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void = Self.standardError) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let own = event.metadata { fields.merge(own) { _, new in new } }
        write(Self.line(
            timestamp: Date(), level: event.level, label: label, message: event.message.description,
            metadata: fields, error: event.error.map { "\($0)" }))
    }

    /// The JSON line of one event (without its newline); keys in a fixed order, then the
    /// metadata sorted by key.
    static func line(
        timestamp: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata,
        error: String? = nil
    ) -> String {
        var parts = [
            "\"timestamp\":" + quoted(timestamp.formatted(.iso8601)), "\"level\":" + quoted(level.rawValue),
            "\"label\":" + quoted(label), "\"message\":" + quoted(message),
        ]
        if let error { parts.append("\"error\":" + quoted(error)) }
        let reserved: Set<String> = ["timestamp", "level", "label", "message", "error"]
        for key in metadata.keys.sorted() where !reserved.contains(key) {
            parts.append(quoted(key) + ":" + quoted(metadata[key].map { "\($0)" } ?? ""))
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// `text` as a JSON string.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let control where control.value < 0x20:
                result += "\\u" + String(repeating: "0", count: 4 - String(control.value, radix: 16).count)
                    + String(control.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
