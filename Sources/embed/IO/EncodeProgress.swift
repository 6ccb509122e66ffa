import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `embed encode`'s progress on standard error, never on standard output: on a terminal a
/// line that updates in place (texts, texts/s, time left when the total is known) at most
/// ten times a second; at the end, on a terminal or not, one summary line (count, seconds,
/// texts/s).
struct EncodeProgress {
    private let start = ContinuousClock.now
    private var lastDraw = ContinuousClock.now
    private var drawn = false
    private let isTerminal: Bool
    /// The texts this run will embed, when known.
    let total: Int?
    /// What the summary adds after the figures, e.g. `shard 1/3`.
    var note = ""
    private(set) var done = 0
    /// Where the lines go: standard error (tests read them instead).
    private let write: (String) -> Void

    init(
        total: Int?, isTerminal: Bool = isatty(STDERR_FILENO) == 1,
        write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.total = total
        self.isTerminal = isTerminal
        self.write = write
    }

    /// `count` more texts embedded.
    mutating func advance(by count: Int) {
        done += count
        guard isTerminal, lastDraw.duration(to: .now) >= .milliseconds(100) else { return }
        lastDraw = .now
        drawn = true
        let rate = Self.rate(done, seconds: seconds)
        var line = "embedded \(done)" + (total.map { " / \($0)" } ?? "") + " texts  " + String(format: "%.1f texts/s", rate)
        if let total, rate > 0 { line += "  " + String(format: "%.0f s left", Double(max(0, total - done)) / rate) }
        write("\r\u{1B}[K" + line)
    }

    /// The summary line.
    func finish() {
        var line = "embedded \(done) texts in " + String(format: "%.1f s (%.1f texts/s)", seconds, Self.rate(done, seconds: seconds))
        if !note.isEmpty { line += "; " + note }
        write((drawn ? "\r\u{1B}[K" : "") + line + "\n")
    }

    var seconds: Double {
        let elapsed = start.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    static func rate(_ count: Int, seconds: Double) -> Double { seconds > 0 ? Double(count) / seconds : 0 }

}
