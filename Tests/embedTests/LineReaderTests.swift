import EmbedTestSupport
import Foundation
import Testing

@testable import embed

/// Lines across the reader's 64 KiB chunks, long lines, CRLF and a last line without `\n`.
struct LineReaderTests {
    @Test func linesAreTheFilesLinesWhateverTheirLength() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = [
            "first", "", String(repeating: "long line ", count: 50_000), "crlf line\r", String(repeating: "x", count: 65_535),
            "ü and 東京", String(repeating: "y", count: 65_536), "last without newline",
        ]
        let file = folder.appendingPathComponent("input.txt")
        try Data(lines.joined(separator: "\n").utf8).write(to: file)
        var reader = try LineReader(path: file.path)
        var read: [String] = []
        while let line = reader.next() { read.append(String(decoding: line, as: UTF8.self)) }
        let expected = lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        #expect(read.count == expected.count, "exact")
        #expect(Bool(read == expected), "the lines, in order")
    }
}
