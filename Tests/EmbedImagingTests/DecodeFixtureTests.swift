import EmbedImaging
import Foundation
import Testing

/// Every fixture decodes to Pillow's pixels (`exif_transpose(open(f)).convert("RGB")`), or
/// fails with the expected error code.
@Suite struct DecodeFixtureTests {
    @Test(arguments: ImageFixtures.entries)
    func decodesLikePillow(_ entry: ImageFixtures.Entry) throws {
        let data = try ImageFixtures.bytes("inputs/\(entry.file)")
        if let expected = entry.error {
            #expect(throws: ImageError.self) { try ImageDecoder.decode(data) }
            do {
                _ = try ImageDecoder.decode(data)
            } catch {
                #expect(error.code.rawValue == expected, "\(entry.file): \(error)")
                #expect(!error.message.isEmpty)
            }
            return
        }
        let image = try ImageDecoder.decode(data)
        #expect(image.width == entry.width && image.height == entry.height, "\(entry.file): size")
        let golden = try ImageFixtures.bytes("decoded/\(entry.file).rgb")
        try #require(image.pixels.count == golden.count, "\(entry.file): byte count")
        let difference = ImageFixtures.Difference(image.pixels, golden)
        // Exact for every format: our libjpeg-turbo and libwebp decode as Pillow's bundled
        // ones, with the same settings (measured over all fixtures).
        #expect(difference.maxDifference == 0, "\(entry.file): \(difference)")
    }

    @Test(arguments: ImageFixtures.entries.filter { $0.composite == true })
    func compositesOverWhiteLikeTransformers(_ entry: ImageFixtures.Entry) throws {
        let data = try ImageFixtures.bytes("inputs/\(entry.file)")
        let image = try ImageDecoder.decode(data, configuration: .init(transparency: .compositeOverWhite))
        let golden = try ImageFixtures.bytes("decoded-composite/\(entry.file).rgb")
        try #require(image.pixels.count == golden.count)
        let difference = ImageFixtures.Difference(image.pixels, golden)
        #expect(difference.maxDifference == 0, "\(entry.file): \(difference)")
    }

    @Test func fixturesArePresent() {
        #expect(ImageFixtures.entries.count > 50)
    }
}
