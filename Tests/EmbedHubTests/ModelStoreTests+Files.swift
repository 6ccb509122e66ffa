import EmbedHub
import EmbedTestSupport
import FakeHub
import Foundation
import Testing

/// Which files a pull takes: ONNX variants, external data, unsafe paths, concurrent pulls.
extension ModelStoreTests {
    @Test func variantsChooseTheONNXFile() async throws {
        let hub = FakeHub()
        var repository = try FakeHubRepository(id: id, folder: TestPaths.fixture("tiny-model"))
        let onnx = try Data(contentsOf: TestPaths.fixture("tiny-model/onnx/model.onnx"))
        repository.files["onnx/model_quantized.onnx"] = FakeHubRepository.file("onnx/model_quantized.onnx", contents: onnx + Data([0]))
        hub.add(repository)
        let id = id
        let (auto, quantized, preferring, fp16) = try await hub.run { url in
            let store = store(url)
            let auto = try await store.resolve(ModelID(id), variant: .auto(preferQuantized: false))
            let quantized = try await store.resolve(ModelID(id), variant: .quantized)
            let preferring = try await store.resolve(ModelID(id), variant: .auto(preferQuantized: true))
            let fp16 = await hubError { try await store.resolve(ModelID(id), variant: .fp16) }
            return (auto, quantized, preferring, fp16)
        }
        #expect(auto.onnxFile == "onnx/model.onnx")
        #expect(quantized.onnxFile == "onnx/model_quantized.onnx")
        #expect(preferring.onnxFile == "onnx/model_quantized.onnx")
        #expect(hub.downloads.filter { $0.hasSuffix(".onnx") }.count == 2, "each ONNX file once: \(hub.downloads)")
        #expect(fp16?.code == .noONNXModel)
        #expect(fp16?.message.contains("onnx/model_fp16.onnx") == true, "\(fp16?.message ?? "")")
        #expect(fp16?.message.contains("onnx/model_quantized.onnx") == true, "names what the repository has")
    }

    @Test func aRepositoryWithoutONNXPointsToTheConversionTool() async throws {
        let hub = FakeHub()
        var repository = try FakeHubRepository(id: id, folder: TestPaths.fixture("tiny-model"))
        repository.files["onnx/model.onnx"] = nil
        repository.files["model.safetensors"] = FakeHubRepository.file("model.safetensors", contents: Data([1, 2, 3]))
        hub.add(repository)
        let id = id
        let error: HubError? = try await hub.run { url in
            await hubError { try await store(url).resolve(ModelID(id)) }
        }
        #expect(error?.code == .noONNXModel)
        #expect(error?.message.contains("no .onnx file") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("Export it to ONNX first") == true, "\(error?.message ?? "")")
        #expect(!hub.downloads.contains("model.safetensors"))
    }

    @Test func externalDataFilesComeWithTheirGraph() async throws {
        let hub = FakeHub()
        var repository = try FakeHubRepository(id: id, folder: TestPaths.fixture("tiny-model"))
        for name in ["tiny_external.onnx", "tiny_external.onnx_data"] {
            let data = try Data(contentsOf: TestPaths.fixture("onnx/\(name)"))
            let path = name.hasSuffix("_data") ? "onnx/\(name)" : "onnx/model.onnx"
            repository.files[path] = FakeHubRepository.file(path, contents: data)
        }
        hub.add(repository)
        let id = id
        let model = try await hub.run { url in try await store(url).resolve(ModelID(id)) }
        #expect(model.downloaded.contains("onnx/tiny_external.onnx_data"), "\(model.downloaded)")
        #expect(FileManager.default.fileExists(atPath: model.folder.appendingPathComponent("onnx/tiny_external.onnx_data").path))
    }

    @Test func pathsThatWouldLeaveTheSnapshotAreIgnored() async throws {
        let hub = FakeHub()
        var repository = try FakeHubRepository(id: id, folder: TestPaths.fixture("tiny-model"))
        // A hostile hub lists a module whose config path climbs out of the snapshot.
        let modules = #"[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},"#
            + #"{"idx":1,"name":"1","path":"../../../../evil","type":"sentence_transformers.models.Pooling"}]"#
        repository.files["modules.json"] = FakeHubRepository.file("modules.json", contents: Data(modules.utf8))
        repository.files["../../../../evil/config.json"] = FakeHubRepository.file("x", contents: Data("{}".utf8))
        hub.add(repository)
        let id = id
        _ = try? await hub.run { url in try await store(url).resolve(ModelID(id)) }
        #expect(!hub.requests.contains { $0.path.contains("evil") })
        #expect(!FileManager.default.fileExists(atPath: cache.deletingLastPathComponent().appendingPathComponent("evil").path))
    }

    @Test func concurrentPullsInOneProcessShareTheBlobs() async throws {
        let hub = try hub()
        let id = id
        let models = try await hub.run { url in
            try await withThrowingTaskGroup(of: ResolvedModel.self) { group in
                for _ in 0..<4 { group.addTask { try await store(url).resolve(ModelID(id)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(Set(models.map(\.folder)).count == 1)
        #expect(!blobs().contains { $0.hasSuffix(".incomplete") })
        let onnx = try Data(contentsOf: TestPaths.fixture("tiny-model/onnx/model.onnx"))
        #expect(try Data(contentsOf: models[0].folder.appendingPathComponent("onnx/model.onnx")) == onnx)
    }
}
