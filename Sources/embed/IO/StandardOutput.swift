import Foundation

/// Buffered writes to standard output.
struct StandardOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func writeLine(_ string: String) {
        write(string)
        write("\n")
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// A vector as a JSON array; each value is written with the fewest digits that read
    /// back as the same `Float`.
    static func json(_ vector: [Float]) throws -> String {
        guard vector.allSatisfy(\.isFinite) else { throw CLIError("the model produced a non-finite value") }
        return "[" + vector.map(\.description).joined(separator: ",") + "]"
    }
}
