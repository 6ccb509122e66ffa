/// A crop size, (height, width).
public struct CropSize: Sendable, Equatable {
    /// Height in pixels.
    public var height: Int
    /// Width in pixels.
    public var width: Int

    /// Creates a crop size.
    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }
}
