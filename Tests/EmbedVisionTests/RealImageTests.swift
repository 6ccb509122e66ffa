import EmbedImaging
import EmbedVision
import Foundation
import Testing

/// Real pictures found on the machine, compared with Pillow + CLIPImageProcessor goldens
/// that scripts/compare-real-images.sh writes to a temporary folder (EMBED_REAL_IMAGES).
/// Skipped, with the reason, when that folder is not given.
@Suite struct RealImageTests {
    private struct Index: Decodable {
        struct Image: Decodable {
            var path: String
            var name: String
            var pillow: String
            var width: Int?
            var height: Int?
        }
        var images: [Image]
    }

    static let folder = ProcessInfo.processInfo.environment["EMBED_REAL_IMAGES"].map { URL(fileURLWithPath: $0) }

    @Test(.enabled(if: folder != nil, "set EMBED_REAL_IMAGES (scripts/compare-real-images.sh does)"))
    func realPicturesMatchPillowAndTransformers() throws {
        let folder = try #require(Self.folder)
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: folder.appendingPathComponent("index.json")))
        let preprocessor = try ImagePreprocessor(configuration: ImageProcessorConfiguration())
        var decodedValues = 0, decodedEqual = 0, decodedMax = 0
        var croppedValues = 0, croppedEqual = 0, croppedMax = 0
        var worstFloat: Float = 0
        var compared = 0
        for entry in index.images {
            guard entry.pillow == "ok" else {
                print("real image \(entry.name) \(entry.path): Pillow failed (\(entry.pillow)), skipped")
                continue
            }
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: entry.path)))
            let golden = try Data(contentsOf: folder.appendingPathComponent(entry.name + ".rgb"))
            let image: RGB8Image
            do {
                image = try ImageDecoder.decode(bytes)
            } catch {
                Issue.record("real image \(entry.path): \(error)")
                continue
            }
            compared += 1
            let decoded = Self.compare(image.pixels, [UInt8](golden))
            decodedValues += decoded.count
            decodedEqual += decoded.equal
            decodedMax = max(decodedMax, decoded.max)
            let composite = try ImageDecoder.decode(bytes, configuration: .init(transparency: .compositeOverWhite))
            let cropped = Self.planar(preprocessor.resizedAndCropped(composite))
            let croppedGolden = [UInt8](try Data(contentsOf: folder.appendingPathComponent(entry.name + ".u8")))
            let crop = Self.compare(cropped, croppedGolden)
            croppedValues += crop.count
            croppedEqual += crop.equal
            croppedMax = max(croppedMax, crop.max)
            let values = preprocessor.pixelValues(composite).values
            let expected = Self.floats(try Data(contentsOf: folder.appendingPathComponent(entry.name + ".f32")))
            let worst = zip(values, expected).map { abs($0 - $1) }.max() ?? .infinity
            worstFloat = max(worstFloat, worst)
            print(
                "real image \(entry.name) \(entry.width ?? 0)x\(entry.height ?? 0) \(entry.path): decode max diff "
                    + "\(decoded.max) (\(decoded.equal)/\(decoded.count) equal), crop max diff \(crop.max), "
                    + "pixel_values max abs diff \(worst)")
            #expect(values.count == expected.count && cropped.count == croppedGolden.count, "\(entry.path)")
        }
        print(
            "real image summary: \(compared) pictures; decode max diff \(decodedMax), "
                + String(format: "%.5f%%", 100 * Double(decodedEqual) / Double(max(decodedValues, 1)))
                + " equal; resized+cropped max diff \(croppedMax), "
                + String(format: "%.5f%%", 100 * Double(croppedEqual) / Double(max(croppedValues, 1)))
                + " equal; pixel_values max abs diff \(worstFloat)")
        // The brief's tolerances: ≥ 99.9 % equal and never off by more than 1; 0.02.
        #expect(croppedMax <= 1 && Double(croppedEqual) >= 0.999 * Double(croppedValues))
        #expect(worstFloat <= 0.02)
    }

    private static func compare(_ a: [UInt8], _ b: [UInt8]) -> (count: Int, equal: Int, max: Int) {
        guard a.count == b.count else { return (max(a.count, b.count), 0, 255) }
        var equal = 0, worst = 0
        for (x, y) in zip(a, b) {
            let delta = abs(Int(x) - Int(y))
            if delta == 0 { equal += 1 }
            worst = max(worst, delta)
        }
        return (a.count, equal, worst)
    }

    private static func planar(_ image: RGB8Image) -> [UInt8] {
        let plane = image.width * image.height
        var out = [UInt8](repeating: 0, count: plane * 3)
        for index in 0..<plane {
            for channel in 0..<3 { out[channel * plane + index] = image.pixels[3 * index + channel] }
        }
        return out
    }

    private static func floats(_ data: Data) -> [Float] {
        let raw = [UInt8](data)
        return stride(from: 0, to: raw.count - 3, by: 4).map { offset in
            Float(bitPattern: UInt32(raw[offset]) | UInt32(raw[offset + 1]) << 8 | UInt32(raw[offset + 2]) << 16
                | UInt32(raw[offset + 3]) << 24)
        }
    }
}
