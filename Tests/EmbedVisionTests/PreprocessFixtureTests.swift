import EmbedImaging
import EmbedVision
import Foundation
import Testing

/// Decode + preprocess gives CLIPImageProcessor's (PIL backend) output for every fixture
/// and configuration: the resized and cropped bytes, and `pixel_values`.
@Suite struct PreprocessFixtureTests {
    @Test(arguments: VisionFixtures.cases)
    func matchesTransformers(_ fixture: VisionFixtures.Case) throws {
        let json = try VisionFixtures.bytes("configs/\(fixture.config).json")
        let preprocessor = try ImagePreprocessor(configuration: .load(json: json))
        // The goldens are `CLIPImageProcessor(exif_transpose(Image.open(f)))`: transformers 5
        // composites transparency over white, which the decoder does with this setting.
        let image = try ImageDecoder.decode(
            try VisionFixtures.bytes("inputs/\(fixture.file)"), configuration: .init(transparency: .compositeOverWhite))

        let cropped = preprocessor.resizedAndCropped(image)
        #expect([3, cropped.height, cropped.width] == fixture.shape)
        let golden = try VisionFixtures.bytes("processed/\(fixture.config)/\(fixture.file).u8")
        let ours = VisionFixtures.planar(cropped)
        try #require(ours.count == golden.count)
        var equal = 0, maxDifference = 0
        for (a, b) in zip(ours, golden) {
            let delta = abs(Int(a) - Int(b))
            if delta == 0 { equal += 1 }
            maxDifference = max(maxDifference, delta)
        }
        // Tolerance: exact (every resized value equals Pillow's).
        #expect(maxDifference == 0, "\(fixture): max diff \(maxDifference), \(equal) of \(ours.count) equal")

        let values = preprocessor.pixelValues(image)
        #expect(values.shape == fixture.shape)
        let expected = try VisionFixtures.floats("processed/\(fixture.config)/\(fixture.file).f32")
        try #require(values.values.count == expected.count)
        let worst = zip(values.values, expected).map { abs($0 - $1) }.max() ?? 0
        // Tolerance: bit-exact float32 (the same float64 → float32 rescale, float32 normalise).
        #expect(worst == 0, "\(fixture): pixel_values max abs diff \(worst)")
    }

    @Test func casesArePresent() {
        #expect(VisionFixtures.cases.count > 100)
    }
}
