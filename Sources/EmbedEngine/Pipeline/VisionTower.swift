import EmbedCore
public import EmbedImaging
public import EmbedVision
public import Foundation

/// The image side of a dual encoder (CLIP): how an encoded image becomes a row of a batch
/// (decoded with EXIF orientation, composited over white when it has transparency, then
/// resized, cropped, rescaled and normalised exactly as transformers' `CLIPImageProcessor`
/// does), how rows become a ``ModelBatch`` (`pixel_values`) and what happens to a pooled
/// vector afterwards (L2 normalisation, as for texts).
public struct VisionTower: Sendable {
    /// The preprocessing of the model's `preprocessor_config.json`.
    public let preprocessor: ImagePreprocessor
    /// The decoder's limits and choices.
    public let decoding: ImageDecodingConfiguration
    /// The height of every row: all images of a model have one shape.
    public let height: Int
    /// The width of every row.
    public let width: Int

    /// A vision tower; throws when the configuration does not give every image the same
    /// shape (no centre crop and a shortest-edge resize), which no batch could hold.
    public init(preprocessor: ImagePreprocessor, images: ImageInputConfiguration) throws(EmbedError) {
        let configuration = preprocessor.configuration
        if configuration.centerCrops {
            height = configuration.cropSize.height
            width = configuration.cropSize.width
        } else if configuration.resizes, case .fixed(let fixedHeight, let fixedWidth) = configuration.size {
            height = fixedHeight
            width = fixedWidth
        } else {
            throw EmbedError(
                .invalidModel,
                "preprocessor_config.json gives images of different sizes (no centre crop and no fixed size): they cannot be batched")
        }
        self.preprocessor = preprocessor
        // transformers composites transparent images over white before its processor runs.
        decoding = ImageDecodingConfiguration(
            maxEncodedBytes: images.maxBytes, maxPixels: images.maxPixels, appliesOrientation: images.appliesOrientation,
            transparency: .compositeOverWhite)
    }

    /// The shape of one row, `[3, height, width]`.
    public var rowShape: [Int] { [3, height, width] }

    /// Decodes and preprocesses the image at `index` of a request. Blocking: called on the
    /// engine's tokenization threads. Every failure is an error naming the input and why.
    func prepare(_ input: EmbeddingInput, index: Int, plan: RequestPlan) throws(EmbedError) -> PreparedInput {
        guard case .image(let data) = input else {
            throw EmbedError(.invalidInput, "input \(index): the vision tower takes images", subject: .input)
        }
        // Checked before the bytes are copied for the decoder.
        guard data.count <= decoding.maxEncodedBytes else {
            throw EmbedError(
                .inputTooLarge, "input \(index): the image is \(data.count) bytes, more than the limit of \(decoding.maxEncodedBytes)",
                subject: .input)
        }
        let image: RGB8Image
        do {
            image = try ImageDecoder.decode([UInt8](data), configuration: decoding)
        } catch {
            throw EmbedError(
                error.isOverLimit ? .inputTooLarge : .invalidInput, "input \(index): cannot use the image: \(error)",
                subject: .input, underlying: error)
        }
        return PreparedInput(
            tower: .vision, encoding: .none, tokenCount: 0, normalize: plan.normalize,
            pixels: preprocessor.pixelValues(image).values)
    }

    /// A 2×2 mid-grey PNG: what the load check and the health check of a model without a
    /// text tower embed (made with Pillow).
    public static let probeImage = Data([
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
        0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xFD, 0xD4, 0x9A, 0x73, 0x00, 0x00, 0x00, 0x16, 0x49,
        0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x6C, 0x68, 0x68, 0x60, 0x60, 0x60, 0x60, 0x62, 0x60, 0x60, 0x60, 0x60, 0x60,
        0x00, 0x00, 0x12, 0x2A, 0x01, 0x84, 0xCD, 0xDC, 0xC6, 0x99, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
        0x42, 0x60, 0x82,
    ])

    /// The rows stacked: `pixel_values`, float32 `[rows, 3, height, width]`.
    func collate(_ inputs: [PreparedInput]) throws(EmbedError) -> ModelBatch {
        let size = 3 * height * width
        var values: [Float] = []
        values.reserveCapacity(inputs.count * size)
        for input in inputs {
            guard input.pixels.count == size else {
                throw EmbedError(.runtime, "an image row has \(input.pixels.count) values, expected \(size) (\(rowShape))")
            }
            values.append(contentsOf: input.pixels)
        }
        return ModelBatch(
            tower: .vision, rows: inputs.count,
            tensors: [ModelBatch.pixelValues: BatchTensor(shape: [inputs.count] + rowShape, values: .float32(values))])
    }

    /// A pooled vector normalised when `normalize` says so, checked against `dimension`.
    func finish(_ pooled: [Float], normalize: Bool, dimension: Int) throws(EmbedError) -> [Float] {
        try OutputModules(steps: []).finish(pooled, normalize: normalize, dimension: dimension)
    }
}

/// How image inputs are accepted: the limits checked before anything large is allocated,
/// and whether EXIF orientation is applied.
public struct ImageInputConfiguration: Sendable, Equatable {
    /// The largest encoded image, in bytes. Default 10 MB (10 × 1024 × 1024).
    public var maxBytes: Int
    /// The most pixels (width × height) an image may declare; a larger one (a
    /// decompression bomb) is refused before its pixels are allocated. Default 40 megapixels.
    public var maxPixels: Int
    /// Whether the EXIF orientation is applied (photos from phones come out upright).
    /// transformers' processor does not apply it: turn it off to get its vectors for rotated
    /// photos. Default `true`.
    public var appliesOrientation: Bool

    /// Creates a configuration.
    public init(maxBytes: Int = 10 * 1024 * 1024, maxPixels: Int = 40_000_000, appliesOrientation: Bool = true) {
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        self.appliesOrientation = appliesOrientation
    }

    /// Checks the values.
    public func validate() throws(EmbedError) {
        guard maxBytes >= 1, maxPixels >= 1 else {
            throw EmbedError(
                .invalidConfiguration, "image limits must be at least 1, got \(maxBytes) bytes and \(maxPixels) pixels")
        }
    }
}
