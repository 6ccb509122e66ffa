import EmbedImaging
import Foundation

/// The processor goldens made by `scripts/make_image_fixtures.py`.
enum VisionFixtures {
    /// One (configuration, image) pair with its golden output.
    struct Case: Sendable, CustomStringConvertible {
        var config: String
        var file: String
        var shape: [Int]

        var description: String { "\(config)/\(file)" }
    }

    private struct Index: Decodable {
        var configs: [String: [String: [Int]]]
    }

    /// `Tests/Fixtures/images`.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/images")

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: root.appendingPathComponent("index.json")),
            let index = try? JSONDecoder().decode(Index.self, from: data)
        else { return [] }
        return index.configs.sorted { $0.key < $1.key }.flatMap { config, files in
            files.sorted { $0.key < $1.key }.map { Case(config: config, file: $0.key, shape: $0.value) }
        }
    }()

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }

    /// Little-endian float32 values.
    static func floats(_ relativePath: String) throws -> [Float] {
        let raw = try bytes(relativePath)
        return stride(from: 0, to: raw.count - 3, by: 4).map { offset in
            Float(bitPattern: UInt32(raw[offset]) | UInt32(raw[offset + 1]) << 8 | UInt32(raw[offset + 2]) << 16
                | UInt32(raw[offset + 3]) << 24)
        }
    }

    /// Channels-last RGB bytes → channels-first planes.
    static func planar(_ image: RGB8Image) -> [UInt8] {
        let plane = image.width * image.height
        var out = [UInt8](repeating: 0, count: plane * 3)
        for index in 0..<plane {
            for channel in 0..<3 { out[channel * plane + index] = image.pixels[3 * index + channel] }
        }
        return out
    }
}
