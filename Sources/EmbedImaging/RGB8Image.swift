/// A decoded image: 8-bit RGB, interleaved, rows top to bottom, no padding.
///
/// A plain value (no pointers, no shared storage beyond the array's own copy-on-write), so
/// it can be handed to any thread. `pixels.count == width * height * 3` always holds.
public struct RGB8Image: Sendable, Equatable {
    /// Width in pixels (at least 1).
    public let width: Int
    /// Height in pixels (at least 1).
    public let height: Int
    /// `width * height * 3` bytes: R, G, B of pixel (0, 0), then (1, 0), … row by row.
    public let pixels: [UInt8]

    /// Creates an image, or `nil` when the sizes are not positive or `pixels` does not hold
    /// exactly `width * height * 3` bytes.
    public init?(width: Int, height: Int, pixels: [UInt8]) {
        guard width > 0, height > 0 else { return nil }
        let (area, overflow1) = width.multipliedReportingOverflow(by: height)
        let (count, overflow2) = area.multipliedReportingOverflow(by: 3)
        guard !overflow1, !overflow2, count == pixels.count else { return nil }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// For the decoders, whose sizes are already checked.
    init(checkedWidth width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The red, green and blue values of the pixel at (`x`, `y`), or `nil` outside the image.
    public func pixel(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8)? {
        guard x >= 0, x < width, y >= 0, y < height else { return nil }
        let index = (y * width + x) * 3
        return (pixels[index], pixels[index + 1], pixels[index + 2])
    }
}
