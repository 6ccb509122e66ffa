extension RGB8Image {
    /// The image as it is meant to be shown under `orientation`: the transposition
    /// `PIL.ImageOps.exif_transpose` applies (2 mirror, 3 rotate 180°, 4 flip, 5 transpose,
    /// 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise). Lossless.
    public func applying(_ orientation: ExifOrientation) -> RGB8Image {
        if orientation == .up { return self }
        let (w, h) = (width, height)
        let outWidth = orientation.swapsSides ? h : w
        let outHeight = orientation.swapsSides ? w : h
        var out = [UInt8](repeating: 0, count: pixels.count)
        // For each output pixel (x, y): the source column and row.
        let source: (Int, Int) -> (Int, Int)
        switch orientation {
        case .up: source = { x, y in (x, y) }
        case .upMirrored: source = { x, y in (w - 1 - x, y) }
        case .down: source = { x, y in (w - 1 - x, h - 1 - y) }
        case .downMirrored: source = { x, y in (x, h - 1 - y) }
        case .leftMirrored: source = { x, y in (y, x) }
        case .right: source = { x, y in (y, h - 1 - x) }
        case .rightMirrored: source = { x, y in (w - 1 - y, h - 1 - x) }
        case .left: source = { x, y in (w - 1 - y, x) }
        }
        for y in 0..<outHeight {
            var target = y * outWidth * 3
            for x in 0..<outWidth {
                let (sx, sy) = source(x, y)
                let from = (sy * w + sx) * 3
                out[target] = pixels[from]
                out[target + 1] = pixels[from + 1]
                out[target + 2] = pixels[from + 2]
                target += 3
            }
        }
        return RGB8Image(checkedWidth: outWidth, height: outHeight, pixels: out)
    }
}
