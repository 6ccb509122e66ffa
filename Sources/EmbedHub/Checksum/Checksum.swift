import Foundation

/// What a downloaded file must hash to, as the hub reports it.
enum Checksum: Sendable, Equatable, CustomStringConvertible {
    /// Large (LFS) files: the SHA-256 of the contents.
    case sha256(String)
    /// Small files: the git blob id, SHA-1 of `blob <size>\0` followed by the contents.
    case gitBlob(String)

    /// The blob's file name in the cache (what the hub's ETag holds).
    var etag: String {
        switch self {
        case .sha256(let hex), .gitBlob(let hex): hex
        }
    }

    /// A checksum from a hub value, if it is well-formed hexadecimal of the right length
    /// (anything else could not safely name a file).
    init?(sha256: String?) {
        guard let value = sha256?.lowercased(), value.count == 64, value.allSatisfy(\.isHexDigit) else { return nil }
        self = .sha256(value)
    }

    init?(gitBlob: String?) {
        guard let value = gitBlob?.lowercased(), value.count == 40, value.allSatisfy(\.isHexDigit) else { return nil }
        self = .gitBlob(value)
    }

    var description: String {
        switch self {
        case .sha256(let hex): "sha256 \(hex)"
        case .gitBlob(let hex): "git blob \(hex)"
        }
    }

    /// Hashes the file at `url` and compares.
    func verify(_ url: URL) throws(HubError) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw HubError(.io, "cannot read \(url.path)")
        }
        defer { try? handle.close() }
        switch self {
        case .sha256(let expected):
            var hasher = BlockHasher<SHA256Compression>()
            try Self.feed(handle, url: url) { hasher.update($0) }
            return Self.hex(hasher.finalize()) == expected
        case .gitBlob(let expected):
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
            var hasher = BlockHasher<SHA1Compression>()
            hasher.update(Array("blob \(size)\0".utf8))
            try Self.feed(handle, url: url) { hasher.update($0) }
            return Self.hex(hasher.finalize()) == expected
        }
    }

    private static func feed(_ handle: FileHandle, url: URL, _ update: (Data) -> Void) throws(HubError) {
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw HubError(.io, "cannot read \(url.path): \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { return }
            update(chunk)
        }
    }

    /// Lowercase hexadecimal digits of a digest.
    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
