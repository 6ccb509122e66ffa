public import EmbedImaging

/// Turns a decoded image into `pixel_values` exactly as transformers' `CLIPImageProcessor`
/// (PIL backend) does with a PIL image: resize (Pillow's resampling), centre crop
/// (transformers' offsets and zero padding), rescale, normalise, channels first.
///
/// Immutable and `Sendable`: build one per model and call it from any thread. The work is
/// synchronous and CPU-bound.
public struct ImagePreprocessor: Sendable {
    /// The configuration.
    public let configuration: ImageProcessorConfiguration
    /// `lookup[channel * 256 + value]`: the float each 8-bit value becomes.
    private let lookup: [Float]

    /// A preprocessor for `configuration`.
    public init(configuration: ImageProcessorConfiguration) throws(VisionError) {
        try configuration.validate()
        self.configuration = configuration
        var lookup = [Float](repeating: 0, count: 3 * 256)
        for channel in 0..<3 {
            let mean = Float(configuration.mean[channel])
            let std = Float(configuration.std[channel])
            for value in 0..<256 {
                // transformers: float64 × factor, then float32; (x − mean) / std in float32.
                var x = configuration.rescales ? Float(Double(value) * configuration.rescaleFactor) : Float(value)
                if configuration.normalizes { x = (x - mean) / std }
                lookup[channel * 256 + value] = x
            }
        }
        self.lookup = lookup
    }

    /// The size `image` is resized to (before the crop), as (height, width).
    public func resizedSize(of image: RGB8Image) -> (height: Int, width: Int) {
        guard configuration.resizes else { return (image.height, image.width) }
        let size = configuration.size.outputSize(width: image.width, height: image.height)
        return (max(size.height, 1), max(size.width, 1))
    }

    /// The image after resize and crop, before rescale and normalisation (what the
    /// processor gives with `do_rescale` and `do_normalize` off).
    public func resizedAndCropped(_ image: RGB8Image) -> RGB8Image {
        let resized = resizedSize(of: image)
        let crop = configuration.centerCrops
            ? CenterCrop(
                imageHeight: resized.height, imageWidth: resized.width, height: configuration.cropSize.height,
                width: configuration.cropSize.width)
            : CenterCrop(wholeImageHeight: resized.height, width: resized.width)
        let rows = crop.rows(imageHeight: resized.height)
        let columns = crop.columns(imageWidth: resized.width)
        let window = Resampler(filter: configuration.filter)
            .resize(image, width: resized.width, height: resized.height, columns: columns, rows: rows)
        if rows.count == crop.height, columns.count == crop.width,
            let result = RGB8Image(width: crop.width, height: crop.height, pixels: window)
        {
            return result
        }
        // Padding: place the window in a zero canvas.
        var canvas = [UInt8](repeating: 0, count: crop.height * crop.width * 3)
        let rowLength = columns.count * 3
        for (index, row) in rows.enumerated() {
            let target = ((row - crop.rowShift) * crop.width + (columns.lowerBound - crop.columnShift)) * 3
            canvas.replaceSubrange(target..<(target + rowLength), with: window[(index * rowLength)..<((index + 1) * rowLength)])
        }
        // Cannot fail: the canvas has exactly crop.width × crop.height × 3 bytes.
        return RGB8Image(width: crop.width, height: crop.height, pixels: canvas) ?? image
    }

    /// `pixel_values` for `image`: `[3, H, W]` float32.
    public func pixelValues(_ image: RGB8Image) -> PixelValues {
        let prepared = resizedAndCropped(image)
        var values: [Float] = []
        values.reserveCapacity(prepared.width * prepared.height * 3)
        appendPlanes(of: prepared, to: &values)
        return PixelValues(height: prepared.height, width: prepared.width, values: values)
    }

    /// Appends the `pixel_values` of `image` (`3 × H × W` floats, channels first) to
    /// `batch`, for building a `[N, 3, H, W]` model input without a copy per image.
    /// Returns the (height, width) of the appended planes.
    @discardableResult
    public func appendPixelValues(of image: RGB8Image, to batch: inout [Float]) -> (height: Int, width: Int) {
        let prepared = resizedAndCropped(image)
        appendPlanes(of: prepared, to: &batch)
        return (prepared.height, prepared.width)
    }

    private func appendPlanes(of prepared: RGB8Image, to values: inout [Float]) {
        let plane = prepared.width * prepared.height
        let start = values.count
        values.append(contentsOf: repeatElement(0, count: plane * 3))
        let pixels = prepared.pixels
        for index in 0..<plane {
            values[start + index] = lookup[Int(pixels[3 * index])]
            values[start + plane + index] = lookup[256 + Int(pixels[3 * index + 1])]
            values[start + 2 * plane + index] = lookup[512 + Int(pixels[3 * index + 2])]
        }
    }
}
