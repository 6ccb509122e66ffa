import EmbedImaging
import EmbedVision
import Testing

/// `preprocessor_config.json` is read strictly: unknown keys and unimplemented values are
/// errors that name them.
@Suite struct ConfigurationTests {
    private func load(_ json: String) throws(VisionError) -> ImageProcessorConfiguration {
        try ImageProcessorConfiguration.load(json: Array(json.utf8))
    }

    private func error(_ json: String) -> VisionError? {
        do {
            _ = try load(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func emptyObjectIsCLIPDefaults() throws {
        #expect(try load("{}") == ImageProcessorConfiguration())
    }

    @Test func readsEveryForm() throws {
        let config = try load(
            #"{"size": 256, "crop_size": 240, "resample": 2, "image_mean": 0.5, "image_std": [1, 2, 3], "do_convert_rgb": null}"#)
        #expect(config.size == .shortestEdge(256))
        #expect(config.cropSize == CropSize(height: 240, width: 240))
        #expect(config.filter == .bilinear)
        #expect(config.mean == [0.5, 0.5, 0.5])
        #expect(config.std == [1, 2, 3])
        #expect(try load(#"{"size": {"height": 10, "width": 20}}"#).size == .fixed(height: 10, width: 20))
        #expect(try load(#"{"size": [10, 20]}"#).size == .fixed(height: 10, width: 20))
        #expect(try load(#"{"size": {"shortest_edge": 7}, "use_square_size": true}"#).size == .fixed(height: 7, width: 7))
    }

    @Test func siglipDefaults() throws {
        let config = try load(#"{"image_processor_type": "SiglipImageProcessor", "size": 384}"#)
        #expect(config.family == .siglip)
        #expect(config.size == .fixed(height: 384, width: 384))
        #expect(!config.centerCrops)
        #expect(config.mean == [0.5, 0.5, 0.5])
    }

    @Test func unknownKeysAreNamed() {
        let failure = error(#"{"do_resize": true, "do_magic": 1}"#)
        #expect(failure?.code == .unknownKey)
        #expect(failure?.message.contains("do_magic") == true)
        #expect(error(#"{"processor_class": "CLIPProcessor", "_valid_processor_keys": []}"#) == nil)
    }

    @Test func unimplementedValuesAreNamed() {
        #expect(error(#"{"resample": 0}"#)?.message.contains("NEAREST") == true)
        #expect(error(#"{"resample": 9}"#)?.code == .unsupported)
        #expect(error(#"{"size": {"shortest_edge": 224, "longest_edge": 400}}"#)?.message.contains("longest_edge") == true)
        #expect(error(#"{"image_processor_type": "ViTImageProcessor"}"#)?.code == .unsupported)
        #expect(error(#"{"do_pad": true}"#)?.code == .unsupported)
        #expect(error(#"{"image_std": [0, 1, 1]}"#)?.code == .invalidValue)
        #expect(error(#"{"image_mean": [1, 2]}"#)?.code == .invalidValue)
        #expect(error(#"{"size": 0}"#)?.code == .invalidValue)
        #expect(error(#"{"do_resize": "yes"}"#)?.code == .invalidJSON)
        #expect(error("not json")?.code == .invalidJSON)
    }

    @Test func outputSizeTruncatesLikeTransformers() {
        // int(224 * 1000 / 333) = int(672.67…) = 672.
        #expect(ImageSize.shortestEdge(224).outputSize(width: 1000, height: 333) == (224, 672))
        #expect(ImageSize.shortestEdge(224).outputSize(width: 300, height: 300) == (224, 224))
        #expect(ImageSize.shortestEdge(224).outputSize(width: 7, height: 1500) == (48000, 224))
    }

    @Test func passOrderFollowsPillow13() {
        #expect(Resampler.verticalFirst(inputWidth: 100, inputHeight: 100, width: 80, height: 59))
        #expect(!Resampler.verticalFirst(inputWidth: 100, inputHeight: 100, width: 80, height: 60))
        #expect(!Resampler.verticalFirst(inputWidth: 10, inputHeight: 10, width: 100, height: 50))
    }
}

/// Batches are built by appending, with the same values as one image at a time.
@Suite struct BatchTests {
    @Test func appendingEqualsSingleImages() throws {
        let preprocessor = try ImagePreprocessor(configuration: ImageProcessorConfiguration())
        let pixels: [UInt8] = (0..<(40 * 30 * 3)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let image = try #require(RGB8Image(width: 40, height: 30, pixels: pixels))
        var batch: [Float] = []
        let size = preprocessor.appendPixelValues(of: image, to: &batch)
        preprocessor.appendPixelValues(of: image, to: &batch)
        let single = preprocessor.pixelValues(image)
        #expect(size == (224, 224))
        #expect(batch == single.values + single.values)
    }
}
