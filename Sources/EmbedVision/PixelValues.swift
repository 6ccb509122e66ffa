/// A model input made from one image: float32, channels first, `[3, height, width]`.
public struct PixelValues: Sendable, Equatable {
    /// Height in pixels.
    public let height: Int
    /// Width in pixels.
    public let width: Int
    /// `3 × height × width` values: the red plane, then green, then blue, rows top to bottom.
    public let values: [Float]

    /// The shape, `[3, height, width]`.
    public var shape: [Int] { [3, height, width] }
}
