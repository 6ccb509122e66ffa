import EmbedHub
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows hub downloads on standard error: a line that updates in place (bytes, rate, time
/// left) on a terminal, one line per finished file otherwise.
final class DownloadProgressView: Sendable {
    private struct State {
        var lastDraw = ContinuousClock.now - .seconds(1)
        var drawn = false
    }

    private let state = Mutex(State())
    private let isTerminal = isatty(STDERR_FILENO) == 1

    /// Reports `progress`.
    func report(_ progress: DownloadProgress) {
        state.withLock { state in
            if progress.finished {
                let line = "downloaded \(progress.file) (\(Self.bytes(progress.bytes)))"
                write((isTerminal && state.drawn ? "\r\u{1B}[K" : "") + line + "\n")
                state.drawn = false
                return
            }
            guard isTerminal, state.lastDraw.duration(to: .now) >= .milliseconds(100) else { return }
            state.lastDraw = .now
            state.drawn = true
            var line = "\(progress.file)  \(Self.bytes(progress.bytes))"
            if let total = progress.total { line += " / \(Self.bytes(total))" }
            line += "  \(Self.bytes(Int64(progress.bytesPerSecond)))/s"
            if let seconds = progress.secondsRemaining { line += "  \(Int(seconds.rounded(.up))) s left" }
            write("\r\u{1B}[K" + line)
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func bytes(_ count: Int64) -> String {
        let value = Double(count)
        switch count {
        case ..<1_000: return "\(count) B"
        case ..<1_000_000: return String(format: "%.1f kB", value / 1e3)
        case ..<1_000_000_000: return String(format: "%.1f MB", value / 1e6)
        default: return String(format: "%.2f GB", value / 1e9)
        }
    }
}
