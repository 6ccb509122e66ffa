import EmbedImaging
import EmbedVision
import Foundation
import Testing

/// The tiny SigLIP's `preprocessor_config.json` (SiglipImageProcessor: 32 × 32 fixed, bicubic,
/// no crop, mean = std = 0.5) against transformers' `SiglipImageProcessorPil` on the 13 images
/// of `scripts/make_siglip_models.py` (Tests/Fixtures/siglip/reference).
@Suite struct SigLIPPreprocessTests {
    struct Images: Decodable {
        struct Entry: Decodable {
            var file: String
            var row: Int
        }

        var images: [Entry]
    }

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/siglip")

    /// The data of a NumPy 1.0 `.npy` file (the header checked for the dtype and the shape).
    static func npy(_ name: String, descr: String, shape: String) throws -> [UInt8] {
        let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent("reference/\(name)")))
        try #require(bytes.count > 10 && bytes[0] == 0x93 && bytes[6] == 1, "\(name): NumPy format 1.0")
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        try #require(header.contains("'descr': '\(descr)'") && header.contains("'shape': \(shape)"), "\(name): \(header)")
        return Array(bytes[(10 + headerLength)...])
    }

    @Test func resizedBytesAndPixelValuesMatchTransformers() throws {
        let configuration = try ImageProcessorConfiguration.load(
            json: [UInt8](try Data(contentsOf: Self.root.appendingPathComponent("tiny/preprocessor_config.json"))))
        #expect(configuration.family == .siglip)
        #expect(configuration.size == .fixed(height: 32, width: 32))
        #expect(!configuration.centerCrops && configuration.mean == [0.5, 0.5, 0.5] && configuration.std == [0.5, 0.5, 0.5])
        let preprocessor = try ImagePreprocessor(configuration: configuration)
        let index = try JSONDecoder().decode(
            Images.self, from: Data(contentsOf: Self.root.appendingPathComponent("reference/images.json")))
        let plane = 3 * 32 * 32
        let resized = try Self.npy("resized_uint8.npy", descr: "|u1", shape: "(13, 3, 32, 32)")
        let rawPixels = try Self.npy("pixel_values.npy", descr: "<f4", shape: "(13, 3, 32, 32)")
        try #require(index.images.count == 13 && resized.count == 13 * plane && rawPixels.count == 13 * plane * 4)
        var equal = 0, total = 0, worstByte = 0
        var worstValue: Float = 0
        for entry in index.images {
            // The processor is given `Image.open(f)`: no EXIF rotation, alpha composited on white.
            let image = try ImageDecoder.decode(
                [UInt8](try Data(contentsOf: Self.root.appendingPathComponent(entry.file))),
                configuration: .init(appliesOrientation: false, transparency: .compositeOverWhite))
            let ours = VisionFixtures.planar(preprocessor.resizedAndCropped(image))
            let golden = resized[(entry.row * plane)..<((entry.row + 1) * plane)]
            try #require(ours.count == plane, "\(entry.file): resized to 32 × 32 whatever its aspect")
            for (a, b) in zip(ours, golden) {
                let delta = abs(Int(a) - Int(b))
                equal += delta == 0 ? 1 : 0
                worstByte = max(worstByte, delta)
            }
            total += plane
            let values = preprocessor.pixelValues(image)
            #expect(values.shape == [3, 32, 32])
            for (offset, value) in values.values.enumerated() {
                let at = (entry.row * plane + offset) * 4
                let expected = Float(
                    bitPattern: UInt32(rawPixels[at]) | UInt32(rawPixels[at + 1]) << 8 | UInt32(rawPixels[at + 2]) << 16
                        | UInt32(rawPixels[at + 3]) << 24)
                worstValue = max(worstValue, abs(value - expected))
            }
        }
        print("SigLIP preprocessing: \(equal) of \(total) resized values equal, max byte diff \(worstByte), pixel_values max abs diff \(worstValue)")
        // Tolerances: resized bytes equal to Pillow's on ≥ 99.9% of values and never off by more
        // than 1; pixel_values within 0.02 (one level is 2/255 = 0.0078 after mean/std 0.5).
        #expect(Double(equal) >= 0.999 * Double(total), "\(equal) of \(total) equal")
        #expect(worstByte <= 1)
        #expect(worstValue <= 0.02)
    }

    @Test func unknownKeyIsNamed() throws {
        let json = Array(#"{"image_processor_type": "SiglipImageProcessor", "do_crop_margin": true}"#.utf8)
        #expect {
            try ImageProcessorConfiguration.load(json: json)
        } throws: { error in
            (error as? VisionError)?.code == .unknownKey && "\(error)".contains("\"do_crop_margin\"")
        }
    }
}
