import EmbedImaging
import Foundation

/// The fixtures made by `scripts/make_image_fixtures.py` and their golden files.
enum ImageFixtures {
    /// One entry of `index.json`.
    struct Entry: Decodable, Sendable, CustomStringConvertible {
        var file: String
        var bytes: Int
        var pillow: String
        var width: Int?
        var height: Int?
        var error: String?
        var composite: Bool?

        var description: String { file }
    }

    struct Index: Decodable {
        var fixtures: [Entry]
    }

    /// `Tests/Fixtures/images`.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/images")

    static let entries: [Entry] = {
        guard let data = try? Data(contentsOf: root.appendingPathComponent("index.json")),
            let index = try? JSONDecoder().decode(Index.self, from: data)
        else { return [] }
        return index.fixtures
    }()

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }

    /// How two byte arrays of equal length differ.
    struct Difference: CustomStringConvertible {
        var count = 0
        var equal = 0
        var maxDifference = 0

        init(_ a: [UInt8], _ b: [UInt8]) {
            count = min(a.count, b.count)
            for index in 0..<count {
                let delta = abs(Int(a[index]) - Int(b[index]))
                if delta == 0 { equal += 1 }
                maxDifference = max(maxDifference, delta)
            }
        }

        var shareEqual: Double { count == 0 ? 1 : Double(equal) / Double(count) }
        var description: String {
            "max diff \(maxDifference), \(String(format: "%.4f", shareEqual * 100))% of \(count) values equal"
        }
    }
}
