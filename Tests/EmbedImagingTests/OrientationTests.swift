import EmbedImaging
import Testing

/// The eight EXIF orientations, on a 3 × 2 image whose pixels are numbered.
@Suite struct OrientationTests {
    /// Pixel i has R = i.
    private let image: RGB8Image = {
        let pixels: [UInt8] = (0..<6).flatMap { [UInt8($0), 0, 0] as [UInt8] }
        return RGB8Image(width: 3, height: 2, pixels: pixels) ?? RGB8Image(width: 1, height: 1, pixels: [0, 0, 0])!
    }()

    private func layout(_ image: RGB8Image) -> [[UInt8]] {
        (0..<image.height).map { y in (0..<image.width).map { x in image.pixel(x: x, y: y)!.red } }
    }

    @Test func transposesAsPillow() {
        // Stored:  0 1 2 / 3 4 5
        #expect(layout(image.applying(.up)) == [[0, 1, 2], [3, 4, 5]])
        #expect(layout(image.applying(.upMirrored)) == [[2, 1, 0], [5, 4, 3]])
        #expect(layout(image.applying(.down)) == [[5, 4, 3], [2, 1, 0]])
        #expect(layout(image.applying(.downMirrored)) == [[3, 4, 5], [0, 1, 2]])
        #expect(layout(image.applying(.leftMirrored)) == [[0, 3], [1, 4], [2, 5]])
        #expect(layout(image.applying(.right)) == [[3, 0], [4, 1], [5, 2]])
        #expect(layout(image.applying(.rightMirrored)) == [[5, 2], [4, 1], [3, 0]])
        #expect(layout(image.applying(.left)) == [[2, 5], [1, 4], [0, 3]])
    }

    @Test func rejectsInconsistentImages() {
        #expect(RGB8Image(width: 2, height: 2, pixels: [0, 0, 0]) == nil)
        #expect(RGB8Image(width: 0, height: 2, pixels: []) == nil)
        #expect(RGB8Image(width: Int.max, height: 2, pixels: []) == nil)
    }
}
