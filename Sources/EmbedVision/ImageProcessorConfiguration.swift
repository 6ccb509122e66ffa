internal import Foundation

/// `preprocessor_config.json` of a CLIP (or SigLIP) image processor, as transformers'
/// `CLIPImageProcessor` (`SiglipImageProcessor`) reads it with its PIL backend.
///
/// Missing keys take the class defaults of the processor type the file names (CLIP's when
/// it names none). Keys this type does not know are an error that names them, except the
/// ones in ``ignoredKeys``, which cannot change the pixels.
public struct ImageProcessorConfiguration: Sendable, Equatable, Decodable {
    /// Which processor class's defaults apply.
    public enum Family: String, Sendable, Equatable {
        /// `CLIPImageProcessor`: shortest edge 224, bicubic, centre crop 224, OpenAI mean/std.
        case clip
        /// `SiglipImageProcessor`: 224 × 224 fixed, bicubic, no crop, mean = std = 0.5.
        case siglip
    }

    /// The processor family (from `image_processor_type`, `feature_extractor_type` or
    /// `processor_class`).
    public var family: Family = .clip
    /// `do_resize`.
    public var resizes = true
    /// `size`.
    public var size: ImageSize = .shortestEdge(224)
    /// `resample`.
    public var filter: ResamplingFilter = .bicubic
    /// `do_center_crop`.
    public var centerCrops = true
    /// `crop_size`.
    public var cropSize = CropSize(height: 224, width: 224)
    /// `do_rescale`.
    public var rescales = true
    /// `rescale_factor`.
    public var rescaleFactor = 1.0 / 255.0
    /// `do_normalize`.
    public var normalizes = true
    /// `image_mean`, one per channel.
    public var mean: [Double] = [0.48145466, 0.4578275, 0.40821073]
    /// `image_std`, one per channel.
    public var std: [Double] = [0.26862954, 0.26130258, 0.27577711]
    /// `do_convert_rgb` (decoded images are always RGB; recorded for completeness).
    public var convertsToRGB = true

    /// Keys accepted and ignored, with the reason each cannot change the pixels.
    public static let ignoredKeys: [String: String] = [
        "processor_class": "names the processor; used only to choose the family",
        "image_processor_type": "names the processor; used only to choose the family",
        "feature_extractor_type": "names the processor; used only to choose the family",
        "_valid_processor_keys": "transformers' own bookkeeping, saved by some versions",
        "return_tensors": "the output container type, not its values",
        "input_data_format": "the layout of array inputs; decoded images are RGB rows",
        "device": "where torchvision runs; the PIL backend ignores it",
        "disable_grouping": "torchvision batching detail",
        "image_seq_length": "a text-side count, not used on pixels",
    ]

    private static let valueKeys: Set<String> = [
        "do_resize", "size", "resample", "do_center_crop", "crop_size", "do_rescale", "rescale_factor",
        "do_normalize", "image_mean", "image_std", "do_convert_rgb", "use_square_size", "do_pad", "data_format",
    ]

    /// The defaults of `CLIPImageProcessor`.
    public init() {}

    /// The defaults of `family`.
    public init(family: Family) {
        self.family = family
        if family == .siglip {
            size = .fixed(height: 224, width: 224)
            centerCrops = false
            mean = [0.5, 0.5, 0.5]
            std = [0.5, 0.5, 0.5]
        }
    }

    /// Reads a `preprocessor_config.json`.
    public static func load(json: [UInt8]) throws(VisionError) -> ImageProcessorConfiguration {
        do {
            return try JSONDecoder().decode(ImageProcessorConfiguration.self, from: Data(json))
        } catch let error as VisionError {
            throw error
        } catch {
            throw VisionError(.invalidJSON, "preprocessor_config.json: \(error)")
        }
    }

    /// Decodes a `preprocessor_config.json` object; the errors it throws are
    /// ``VisionError``s (``load(json:)`` returns them typed).
    public init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: ConfigurationKey.self)
        let keys = Set(object.allKeys.map(\.stringValue))
        if let unknown = keys.subtracting(Self.valueKeys).subtracting(Self.ignoredKeys.keys).sorted().first {
            throw VisionError(.unknownKey, "preprocessor_config.json: unknown key \"\(unknown)\"")
        }
        let reader = ConfigurationReader(object: object)
        self.init(family: try reader.family())
        resizes = try reader.bool("do_resize") ?? resizes
        if let value = try reader.size("size", squareDefault: family == .siglip) { size = value }
        if try reader.bool("use_square_size") == true, case .shortestEdge(let edge) = size {
            size = .fixed(height: edge, width: edge)
        }
        filter = try reader.filter("resample") ?? filter
        centerCrops = try reader.bool("do_center_crop") ?? centerCrops
        if let value = try reader.size("crop_size", squareDefault: true) {
            guard case .fixed(let height, let width) = value else {
                throw VisionError(.unsupported, "crop_size must have height and width, not shortest_edge")
            }
            cropSize = CropSize(height: height, width: width)
        }
        rescales = try reader.bool("do_rescale") ?? rescales
        rescaleFactor = try reader.number("rescale_factor") ?? rescaleFactor
        normalizes = try reader.bool("do_normalize") ?? normalizes
        mean = try reader.channels("image_mean") ?? mean
        std = try reader.channels("image_std") ?? std
        convertsToRGB = try reader.bool("do_convert_rgb") ?? convertsToRGB
        if try reader.bool("do_pad") == true {
            throw VisionError(.unsupported, "do_pad: true is not implemented")
        }
        if let format = try reader.string("data_format"), format != "channels_first" {
            throw VisionError(.unsupported, "data_format \"\(format)\" is not implemented (channels_first is)")
        }
        try validate()
    }

    /// Checks the values that would give nonsense (a zero size, a zero deviation).
    public func validate() throws(VisionError) {
        let sizes: [Int]
        switch size {
        case .shortestEdge(let edge): sizes = [edge]
        case .fixed(let height, let width): sizes = [height, width]
        }
        guard (sizes + [cropSize.height, cropSize.width]).allSatisfy({ $0 > 0 && $0 <= 16384 }) else {
            throw VisionError(.invalidValue, "size and crop_size must be between 1 and 16384")
        }
        guard mean.count == 3, std.count == 3 else {
            throw VisionError(.invalidValue, "image_mean and image_std need 3 values (one per channel)")
        }
        guard std.allSatisfy({ $0 != 0 && $0.isFinite }), mean.allSatisfy(\.isFinite), rescaleFactor.isFinite else {
            throw VisionError(.invalidValue, "image_std must be non-zero and every value finite")
        }
    }
}
