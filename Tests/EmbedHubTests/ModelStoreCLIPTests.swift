import EmbedHub
import EmbedTestSupport
import FakeHub
import Foundation
import Testing

/// CLIP repositories through the model store: the tower files of the layout the engine
/// opens (CLIPLayout), `preprocessor_config.json`, no `tokenizer.json` needed for a vision-only one.
@Suite struct ModelStoreCLIPTests {
    let cache: URL

    init() throws {
        cache = try TestPaths.temporaryFolder()
    }

    func store(_ endpoint: URL, offline: Bool = false) -> ModelStore {
        ModelStore(
            configuration: HubConfiguration(endpoint: endpoint, token: nil, cacheDirectory: cache, offline: offline),
            logger: TestRuntime.logger)
    }

    func hub() throws -> FakeHub {
        let hub = FakeHub()
        hub.add(try FakeHubRepository(id: "test-org/tiny-clip", folder: TestPaths.fixture("clip/tiny")))
        hub.add(try FakeHubRepository(id: "test-org/tiny-clip-vision", folder: TestPaths.fixture("clip/tiny-vision")))
        return hub
    }

    @Test func splitTowersAreDownloadedWithTheirConfiguration() async throws {
        let (fp32, quantized) = try await hub().run { url in
            (try await store(url).resolve(ModelID("test-org/tiny-clip")),
             try await store(url).resolve(ModelID("test-org/tiny-clip"), variant: .quantized))
        }
        #expect(fp32.onnxFile == "onnx/text_model.onnx,onnx/vision_model.onnx")
        #expect(Set(fp32.downloaded) == [
            "tokenizer.json", "config.json", "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json",
            "onnx/text_model.onnx", "onnx/vision_model.onnx",
        ], "not the joint onnx/model.onnx nor the quantized files")
        #expect(quantized.onnxFile == "onnx/text_model_quantized.onnx,onnx/vision_model_quantized.onnx")
        #expect(Set(quantized.downloaded) == ["onnx/text_model_quantized.onnx", "onnx/vision_model_quantized.onnx"])
        for file in fp32.onnxFile.split(separator: ",") {
            let served = try Data(contentsOf: TestPaths.fixture("clip/tiny").appendingPathComponent(String(file)))
            #expect(try Data(contentsOf: fp32.folder.appendingPathComponent(String(file))) == served, "\(file)")
        }
        // The cache answers now, offline too.
        let offline = store(URL(string: "http://127.0.0.1:9")!, offline: true)
        let cached = try await offline.resolve(ModelID("test-org/tiny-clip"))
        #expect(cached.onnxFile == fp32.onnxFile && cached.downloaded.isEmpty)
    }

    @Test func aVisionOnlyRepositoryNeedsNoTokenizer() async throws {
        let model = try await hub().run { url in try await store(url).resolve(ModelID("test-org/tiny-clip-vision")) }
        #expect(model.onnxFile == "model.onnx")
        #expect(Set(model.downloaded) == ["config.json", "preprocessor_config.json", "model.onnx"])
    }

    @Test func fp16IsRefusedNamingWhy() async throws {
        let error = await #expect(throws: HubError.self) {
            try await hub().run { url in try await store(url).resolve(ModelID("test-org/tiny-clip"), variant: .fp16) }
        }
        #expect(error?.code == .noONNXModel)
        #expect(error?.message.contains("fp16 CLIP files are not supported") == true, "\(error?.message ?? "")")
    }
}
