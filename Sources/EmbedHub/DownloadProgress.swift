/// How far a file download has come.
public struct DownloadProgress: Sendable, Equatable {
    /// The file being downloaded (its path in the repository).
    public var file: String
    /// Bytes on disk so far (a resumed download counts what was already there).
    public var bytes: Int64
    /// The full size, when known.
    public var total: Int64?
    /// The average rate of this download in bytes per second.
    public var bytesPerSecond: Double
    /// Whether the download is complete.
    public var finished: Bool

    /// Creates a progress report.
    public init(file: String, bytes: Int64, total: Int64?, bytesPerSecond: Double, finished: Bool) {
        self.file = file
        self.bytes = bytes
        self.total = total
        self.bytesPerSecond = bytesPerSecond
        self.finished = finished
    }

    /// Seconds until done at the current rate, when the size is known.
    public var secondsRemaining: Double? {
        guard let total, bytesPerSecond > 0 else { return nil }
        return Double(max(total - bytes, 0)) / bytesPerSecond
    }
}
