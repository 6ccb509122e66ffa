import EmbedCore
import Foundation

/// `shard-KKKKK-of-NNNNN.manifest.json`: what one shard was made from and the parts done.
/// Written after every part (atomically), so a killed run leaves the parts it finished
/// listed; a rerun keeps those whose files still hash to what is recorded here. Unknown
/// keys are refused: a field we do not know could change what the vectors mean.
struct ShardManifest: Codable, Sendable, Equatable {
    static let currentVersion = 1

    var version: Int
    var fingerprint: ModelFingerprint
    var input: InputIdentity
    var shard: Shard
    var output: Output
    var parts: [Part]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case version, fingerprint, input, shard, output, parts
    }

    struct Shard: Codable, Sendable, Equatable {
        var index: Int
        var count: Int
        var firstLine: Int
        var lastLine: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case index, count, firstLine = "first_line", lastLine = "last_line"
        }
    }

    struct Output: Codable, Sendable, Equatable {
        var format: String
        var partSize: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case format, partSize = "part_size"
        }
    }

    struct Part: Codable, Sendable, Equatable {
        var number: Int
        var file: String
        var firstLine: Int
        var lastLine: Int
        var count: Int
        var sha256: String
        var idsFile: String?
        var idsSHA256: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case number, file, firstLine = "first_line", lastLine = "last_line", count, sha256
            case idsFile = "ids_file", idsSHA256 = "ids_sha256"
        }
    }

    init(version: Int = Self.currentVersion, fingerprint: ModelFingerprint, input: InputIdentity, shard: Shard, output: Output, parts: [Part]) {
        self.version = version
        self.fingerprint = fingerprint
        self.input = input
        self.shard = shard
        self.output = output
        self.parts = parts
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        guard version == Self.currentVersion else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: c, debugDescription: "version \(version), expected \(Self.currentVersion)")
        }
        fingerprint = try c.decode(ModelFingerprint.self, forKey: .fingerprint)
        input = try c.decode(InputIdentity.self, forKey: .input)
        shard = try c.decode(Shard.self, forKey: .shard)
        output = try c.decode(Output.self, forKey: .output)
        parts = try c.decode([Part].self, forKey: .parts)
    }

    /// The manifest in `folder` for `shard`, `nil` when there is none.
    static func load(_ url: URL) throws -> ShardManifest? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw CLIError("cannot read \(url.path)") }
        do {
            return try JSONDecoder().decode(ShardManifest.self, from: data)
        } catch let error as DecodingError {
            throw CLIError("\(url.path) is not a valid shard manifest: \(error.readableDescription)")
        } catch {
            throw CLIError("\(url.path) is not a valid shard manifest: \(error)")
        }
    }

    /// Writes the manifest to `url` through `url.partial`, synced, then renamed.
    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(Array(try encoder.encode(self)) + [0x0A], to: url)
    }

    /// The settings (everything but the parts) that differ from `other`'s, each as
    /// `key: other's value → this value`, keys as in the file (`fingerprint.normalize`).
    func differences(from other: ShardManifest) throws -> [String] {
        func flat(_ manifest: ShardManifest) throws -> [String: String] {
            var copy = manifest
            copy.parts = []
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let object = try JSONSerialization.jsonObject(with: try encoder.encode(copy)) as? [String: Any] ?? [:]
            var result: [String: String] = [:]
            func walk(_ value: Any, _ path: String) {
                if let dict = value as? [String: Any] {
                    for (key, item) in dict { walk(item, path.isEmpty ? key : path + "." + key) }
                } else if path != "parts" {
                    let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes])
                    result[path] = data.map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
                }
            }
            walk(object, "")
            return result
        }
        let mine = try flat(self)
        let theirs = try flat(other)
        return Set(mine.keys).union(theirs.keys).sorted().compactMap { key in
            mine[key] == theirs[key] ? nil : "\(key): \(theirs[key] ?? "(absent)") → \(mine[key] ?? "(absent)")"
        }
    }
}

extension Decoder {
    /// Throws when the object being decoded has a key that `keys` does not list.
    func refuseUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let unknown = try unknownKeys(Set(Keys.allCases.map(\.stringValue)))
        guard unknown.isEmpty else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath,
                debugDescription: "unknown key\(unknown.count == 1 ? "" : "s") \(unknown.map { "'\($0)'" }.joined(separator: ", ")); expected only \(Keys.allCases.map(\.stringValue).joined(separator: ", "))"))
        }
    }
}
