import Crypto
import Foundation

/// What identifies an input file across runs and machines: its size, its SHA-256 and its
/// number of lines as ``LineReader`` counts them (a final line without `\n` counts; an
/// empty file has none). One streaming pass, 1 MiB at a time.
struct InputIdentity: Codable, Sendable, Equatable {
    var size: Int64
    var sha256: String
    var lines: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case size, sha256, lines
    }

    init(size: Int64, sha256: String, lines: Int) {
        self.size = size
        self.sha256 = sha256
        self.lines = lines
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        size = try container.decode(Int64.self, forKey: .size)
        sha256 = try container.decode(String.self, forKey: .sha256)
        lines = try container.decode(Int.self, forKey: .lines)
    }

    /// Reads the file at `path` once.
    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("cannot read input file \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        var newlines = 0
        var last: UInt8?
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw CLIError("cannot read input file \(path): \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(data: chunk)
            size += Int64(chunk.count)
            newlines += chunk.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            last = chunk.last
        }
        self.init(size: size, sha256: Digest.hex(hasher.finalize()), lines: newlines + (last.map { $0 != UInt8(ascii: "\n") ? 1 : 0 } ?? 0))
    }
}

/// SHA-256 as lowercase hexadecimal.
enum Digest {
    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    /// The SHA-256 of the file at `url`, read 1 MiB at a time; `nil` when it cannot be read.
    static func sha256(of url: URL) -> String? {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch { return nil }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }
}
