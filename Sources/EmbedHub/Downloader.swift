import EmbedCore
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Streams one HTTP response body into a file, resuming from what the file already holds
/// (`Range: bytes=N-`) and reporting progress.
final class FileDownload: NSObject, URLSessionDataDelegate, Sendable {
    /// How a download ended.
    enum Outcome: Sendable {
        /// The body was written; `bytes` is the file's size.
        case completed(bytes: Int64)
        /// The server answered with this status instead of a body.
        case status(Int)
        /// The transfer failed; the file keeps what arrived (`bytes`), for a later resume.
        case interrupted(bytes: Int64, reason: String)
    }

    private struct State {
        var handle: FileHandle?
        var bytes: Int64 = 0
        var total: Int64?
        var refusedStatus: Int?
        var failure: String?
        var continuation: CheckedContinuation<Outcome, Never>?
    }

    private let state = Mutex(State())
    private let destination: URL
    private let started = ContinuousClock.now
    private let startBytes: Int64
    private let progress: @Sendable (Int64, Int64?, Double) -> Void

    private init(destination: URL, startBytes: Int64, progress: @escaping @Sendable (Int64, Int64?, Double) -> Void) {
        self.destination = destination
        self.startBytes = startBytes
        self.progress = progress
    }

    /// Downloads `request`'s body into `destination`, appending when the server honours the
    /// range of what the file already holds.
    static func run(
        _ request: URLRequest, into destination: URL, progress: @escaping @Sendable (Int64, Int64?, Double) -> Void
    ) async -> Outcome {
        let existing = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? NSNumber)?.int64Value ?? 0
        var request = request
        if existing > 0 { request.setValue("bytes=\(existing)-", forHTTPHeaderField: "Range") }
        let download = FileDownload(destination: destination, startBytes: existing, progress: progress)
        let session = URLSession(configuration: .ephemeral, delegate: download, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return await withCheckedContinuation { continuation in
            download.state.withLock { $0.continuation = continuation }
            session.dataTask(with: request).resume()
        }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let allowed = state.withLock { state -> Bool in
            switch status {
            case 206:
                state.bytes = startBytes
                state.total = Self.totalFromContentRange(response) ?? response.expectedContentLength.positive.map { $0 + startBytes }
            case 200:
                // The server sent everything (no range support, or nothing to resume): start over.
                state.bytes = 0
                state.total = response.expectedContentLength.positive
            default:
                state.refusedStatus = status
                return false
            }
            if !FileManager.default.fileExists(atPath: destination.path) {
                _ = FileManager.default.createFile(atPath: destination.path, contents: nil)
            }
            guard let handle = FileHandle(forWritingAtPath: destination.path) else {
                state.failure = "cannot write \(destination.path)"
                return false
            }
            do {
                if status == 200 { try handle.truncate(atOffset: 0) } else { try handle.seekToEnd() }
            } catch {
                state.failure = "cannot write \(destination.path): \(error.localizedDescription)"
                return false
            }
            state.handle = handle
            return true
        }
        completionHandler(allowed ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let (bytes, total, ok) = state.withLock { state -> (Int64, Int64?, Bool) in
            guard let handle = state.handle, state.failure == nil else { return (state.bytes, state.total, false) }
            do {
                try handle.write(contentsOf: data)
            } catch {
                state.failure = "cannot write \(destination.path): \(error.localizedDescription)"
                return (state.bytes, state.total, false)
            }
            state.bytes += Int64(data.count)
            return (state.bytes, state.total, true)
        }
        guard ok else {
            dataTask.cancel()
            return
        }
        let seconds = max(started.duration(to: .now).inSeconds, 1e-3)
        progress(bytes, total, Double(bytes - startBytes) / seconds)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, outcome) = state.withLock { state -> (CheckedContinuation<Outcome, Never>?, Outcome) in
            try? state.handle?.synchronize()
            try? state.handle?.close()
            state.handle = nil
            let outcome: Outcome
            if let status = state.refusedStatus {
                outcome = .status(status)
            } else if let failure = state.failure {
                outcome = .interrupted(bytes: state.bytes, reason: failure)
            } else if let error {
                outcome = .interrupted(bytes: state.bytes, reason: error.localizedDescription)
            } else if let total = state.total, total != state.bytes {
                outcome = .interrupted(bytes: state.bytes, reason: "received \(state.bytes) of \(total) bytes")
            } else {
                outcome = .completed(bytes: state.bytes)
            }
            let continuation = state.continuation
            state.continuation = nil
            return (continuation, outcome)
        }
        continuation?.resume(returning: outcome)
    }

    private static func totalFromContentRange(_ response: URLResponse) -> Int64? {
        // Content-Range: bytes 100-199/200
        guard let value = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Range"),
            let slash = value.lastIndex(of: "/")
        else { return nil }
        return Int64(value[value.index(after: slash)...])
    }
}

extension Int64 {
    var positive: Int64? { self > 0 ? self : nil }
}

