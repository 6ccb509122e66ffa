import EmbedImaging
import Foundation
import Testing

/// Limits are checked before anything large is allocated, and every refusal has its code.
@Suite struct DecodeLimitTests {
    private func code(_ bytes: [UInt8], _ configuration: ImageDecodingConfiguration = .init()) -> ImageError.Code? {
        do {
            _ = try ImageDecoder.decode(bytes, configuration: configuration)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func emptyDataIsRefused() {
        #expect(code([]) == .empty)
    }

    @Test func encodedSizeLimit() throws {
        let jpeg = try ImageFixtures.bytes("inputs/jpeg-444.jpg")
        #expect(code(jpeg, .init(maxEncodedBytes: jpeg.count - 1)) == .encodedTooLarge)
        #expect(code(jpeg, .init(maxEncodedBytes: jpeg.count)) == nil)
    }

    @Test(arguments: ["jpeg-444.jpg", "png-rgb8.png", "webp-lossy.webp"])
    func pixelAndSideLimits(_ file: String) throws {
        let bytes = try ImageFixtures.bytes("inputs/\(file)")
        let image = try ImageDecoder.decode(bytes)
        let pixels = image.width * image.height
        #expect(code(bytes, .init(maxPixels: pixels - 1)) == .tooManyPixels)
        #expect(code(bytes, .init(maxPixels: pixels)) == nil)
        #expect(code(bytes, .init(maxSide: max(image.width, image.height) - 1)) == .sideTooLong)
    }

    @Test func declaredBombIsRefusedBeforeDecoding() throws {
        let error = #expect(throws: ImageError.self) {
            try ImageDecoder.decode(try ImageFixtures.bytes("inputs/bad-png-bomb-pixels.png"))
        }
        #expect(error?.code == .tooManyPixels)
        #expect(error?.format == .png)
        #expect(error?.description.contains("8000×8000") == true)
    }

    @Test func errorsNameTheFormat() throws {
        let error = #expect(throws: ImageError.self) {
            try ImageDecoder.decode(try ImageFixtures.bytes("inputs/bad-jpeg-truncated.jpg"))
        }
        #expect(error?.format == .jpeg)
        #expect(error?.description.hasPrefix("JPEG image:") == true)
    }

    @Test func everyPrefixOfAnImageFailsCleanly() throws {
        for file in ["jpeg-progressive.jpg", "png-rgba16-interlaced.png", "webp-lossless-alpha.webp"] {
            let bytes = try ImageFixtures.bytes("inputs/\(file)")
            for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
                let result = code(Array(bytes[0..<length]))
                #expect(result != nil, "\(file) cut at \(length) decoded")
            }
        }
    }

    @Test func orientationCanBeSwitchedOff() throws {
        let bytes = try ImageFixtures.bytes("inputs/jpeg-exif-6.jpg")
        let oriented = try ImageDecoder.decode(bytes)
        let stored = try ImageDecoder.decode(bytes, configuration: .init(appliesOrientation: false))
        #expect(oriented.width == stored.height && oriented.height == stored.width)
        #expect(stored.applying(.right) == oriented)
    }

    @Test func readsFilesWithTheSizeLimit() throws {
        let path = ImageFixtures.root.appendingPathComponent("inputs/png-rgb8.png").path
        let image = try ImageDecoder.decode(contentsOfFile: path)
        #expect(image.width == 37)
        let error = #expect(throws: ImageError.self) {
            try ImageDecoder.decode(contentsOfFile: path, configuration: .init(maxEncodedBytes: 100))
        }
        #expect(error?.code == .encodedTooLarge)
        let missing = #expect(throws: ImageError.self) { try ImageDecoder.decode(contentsOfFile: path + ".missing") }
        #expect(missing?.code == .unreadable)
    }

    @Test func sniffsFormats() {
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat.sniff(Array("GIF89a".utf8)) == .gif)
        #expect(ImageFormat.sniff([1, 2, 3]) == nil)
    }
}
