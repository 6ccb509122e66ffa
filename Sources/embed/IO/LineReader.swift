import Foundation

/// Reads a file or standard input line by line, as bytes, without loading it whole.
struct LineReader: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next newline goes on: the bytes before it (from `start`)
    /// have none, so a long line is scanned once, not once per chunk read.
    private var scanned = 0
    private var finished = false

    /// `path` `-` means standard input.
    init(path: String) throws {
        if path == "-" {
            handle = .standardInput
        } else {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw CLIError("cannot read input file \(path)")
            }
            self.handle = handle
        }
    }

    init(handle: FileHandle) {
        self.handle = handle
    }

    /// The next line without its `\n` (and without a `\r` before it).
    mutating func next() -> [UInt8]? {
        while true {
            if let newline = buffer[Swift.max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[start..<newline])
                start = newline + 1
                scanned = start
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            if finished {
                guard start < buffer.count else { return nil }
                var line = Array(buffer[start...])
                start = buffer.count
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            scanned = buffer.count - start
            buffer.removeSubrange(..<start)
            start = 0
            let chunk = handle.readData(ofLength: 1 << 16)
            if chunk.isEmpty { finished = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}

/// Text lines: numbered, UTF-8 checked.
struct NumberedLine {
    var number: Int
    var text: String

    init(number: Int, bytes: [UInt8]) throws {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError("line \(number) is not valid UTF-8")
        }
        self.number = number
        self.text = text
    }
}
