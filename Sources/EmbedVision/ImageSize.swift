/// The `size` of a processor: how `do_resize` resizes.
public enum ImageSize: Sendable, Equatable {
    /// Scale so that the shorter side is this long, keeping the aspect ratio (the longer
    /// side truncated: `int(shortest × long / short)`, as transformers'
    /// `get_resize_output_image_size` computes it).
    case shortestEdge(Int)
    /// Resize to exactly this size, ignoring the aspect ratio.
    case fixed(height: Int, width: Int)

    /// The size an image of `width` × `height` is resized to, as (height, width).
    public func outputSize(width: Int, height: Int) -> (height: Int, width: Int) {
        switch self {
        case .fixed(let h, let w):
            return (h, w)
        case .shortestEdge(let shortest):
            // Python: int(size * long / short) — a true division (correctly rounded, as a
            // Double division of these exactly representable integers is), then truncated.
            if width <= height {
                return (Int(Double(shortest * height) / Double(width)), shortest)
            }
            return (shortest, Int(Double(shortest * width) / Double(height)))
        }
    }
}
