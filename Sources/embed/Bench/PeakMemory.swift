import Foundation

/// The process's peak resident memory, in megabytes (Linux: `VmHWM` of /proc/self/status).
enum PeakMemory {
    static var megabytes: Double? {
        #if os(Linux)
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
        #else
        return nil
        #endif
    }
}
