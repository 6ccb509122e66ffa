import EmbedHub
import EmbedTestSupport
import FakeHub
import Foundation
import Logging
import Testing

/// The model store against a fake hub on loopback serving the tiny model's files.
@Suite struct ModelStoreTests {
    let id = "test-org/tiny-model"
    let cache: URL

    init() throws {
        cache = try TestPaths.temporaryFolder()
    }

    func hub() throws -> FakeHub {
        let hub = FakeHub()
        hub.add(try FakeHubRepository(id: id, folder: TestPaths.fixture("tiny-model")))
        return hub
    }

    func store(_ endpoint: URL, token: String? = nil, offline: Bool = false) -> ModelStore {
        ModelStore(
            configuration: HubConfiguration(endpoint: endpoint, token: token, cacheDirectory: cache, offline: offline),
            logger: TestRuntime.logger)
    }

    /// The `HubError` that `body` throws, `nil` when it succeeds.
    func hubError<T>(_ body: () async throws -> T) async -> HubError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? HubError
        }
    }

    func blobs() -> [String] {
        let folder = cache.appendingPathComponent("models--test-org--tiny-model/blobs")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test func firstPullDownloadsIntoTheHuggingFaceLayout() async throws {
        let hub = try hub()
        let cache = cache
        let id = id
        let model = try await hub.run { url in try await store(url).resolve(ModelID(id)) }
        #expect(model.onnxFile == "onnx/model.onnx")
        #expect(Set(model.downloaded) == [
            "tokenizer.json", "config.json", "tokenizer_config.json", "special_tokens_map.json",
            "sentence_bert_config.json", "modules.json", "1_Pooling/config.json", "onnx/model.onnx",
        ])
        let repository = cache.appendingPathComponent("models--test-org--tiny-model")
        #expect(try String(contentsOf: repository.appendingPathComponent("refs/main"), encoding: .utf8) == model.commit)
        #expect(model.folder.path == repository.appendingPathComponent("snapshots/\(model.commit)").path)
        // Snapshot files are relative links to blobs named by the hub's ETag, as the Python tools make them.
        let served = try FakeHubRepository(id: id, folder: TestPaths.fixture("tiny-model"))
        for path in model.downloaded {
            let link = model.folder.appendingPathComponent(path)
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: link.path)
            #expect(!target.hasPrefix("/"), "\(path) links to \(target)")
            #expect(target.hasSuffix("blobs/" + (served.etag(path) ?? "?")), "\(path) links to \(target)")
            #expect(try Data(contentsOf: link) == served.files[path]?.contents, "\(path)")
        }
        #expect(!blobs().contains { $0.hasSuffix(".incomplete") })
        // Only what an embedding needs: the fixture's other files (if any) are not fetched.
        #expect(!hub.downloads.contains { $0.hasSuffix(".md") })
    }

    @Test func secondPullComesFromTheCacheWithoutAnyRequest() async throws {
        let hub = try hub()
        let id = id
        let (first, second, requestsAfterFirst) = try await hub.run { url in
            let first = try await store(url).resolve(ModelID(id))
            let count = hub.requests.count
            let second = try await store(url).resolve(ModelID(id))
            return (first, second, count)
        }
        #expect(second.folder == first.folder)
        #expect(second.downloaded.isEmpty)
        #expect(hub.requests.count == requestsAfterFirst, "the second pull made \(hub.requests.count - requestsAfterFirst) requests")
    }

    @Test func refreshAsksTheHubButReusesBlobs() async throws {
        let hub = try hub()
        let id = id
        let again = try await hub.run { url in
            _ = try await store(url).resolve(ModelID(id))
            return try await store(url).resolve(ModelID(id), refresh: true)
        }
        #expect(again.downloaded.isEmpty)
        #expect(hub.downloads.count == 8, "\(hub.downloads)")
    }

    @Test func offlineUsesTheCacheAndFailsClearlyWithoutIt() async throws {
        let hub = try hub()
        let id = id
        let offlineMiss = await hubError { try await store(URL(string: "http://127.0.0.1:9")!, offline: true).resolve(ModelID(id)) }
        #expect(offlineMiss?.code == .notCached)
        #expect(offlineMiss?.message.contains("offline") == true, "\(offlineMiss?.message ?? "")")
        #expect(offlineMiss?.message.contains("embed pull test-org/tiny-model") == true)

        _ = try await hub.run { url in try await store(url).resolve(ModelID(id)) }
        let requests = hub.requests.count
        // The endpoint is unreachable: offline never tries it.
        let offline = try await store(URL(string: "http://127.0.0.1:9")!, offline: true).resolve(ModelID(id))
        #expect(offline.onnxFile == "onnx/model.onnx")
        #expect(FileManager.default.fileExists(atPath: offline.folder.appendingPathComponent("tokenizer.json").path))
        #expect(hub.requests.count == requests)
    }

    @Test func interruptedDownloadIsResumedWithARange() async throws {
        let hub = try hub()
        let size = try Data(contentsOf: TestPaths.fixture("tiny-model/onnx/model.onnx")).count
        hub.inject(.cutOff(afterBytes: size / 2), id: id, path: "onnx/model.onnx")
        let id = id
        let model = try await hub.run { url in try await store(url).resolve(ModelID(id)) }
        let onnxRequests = hub.requests.filter { $0.path.hasSuffix("/onnx/model.onnx") }
        #expect(onnxRequests.count == 2)
        #expect(onnxRequests.first?.range == nil)
        #expect(onnxRequests.last?.range == "bytes=\(size / 2)-", "\(onnxRequests.map(\.range))")
        #expect(try Data(contentsOf: model.folder.appendingPathComponent("onnx/model.onnx"))
            == Data(contentsOf: TestPaths.fixture("tiny-model/onnx/model.onnx")))
    }

    @Test func aDownloadThatKeepsFailingLeavesOnlyAnIncompleteFileThatTheNextPullResumes() async throws {
        let hub = try hub()
        let size = try Data(contentsOf: TestPaths.fixture("tiny-model/onnx/model.onnx")).count
        for part in 1...3 { hub.inject(.cutOff(afterBytes: size * part / 4), id: id, path: "onnx/model.onnx") }
        let id = id
        let failure: HubError? = try await hub.run { url in
            await hubError { try await store(url).resolve(ModelID(id)) }
        }
        #expect(failure?.code == .network)
        #expect(failure?.message.contains("run the command again to resume") == true, "\(failure?.message ?? "")")
        // Nothing half-written looks complete: no snapshot link, no ref, only an .incomplete blob.
        let snapshotModel = cache.appendingPathComponent("models--test-org--tiny-model/snapshots")
        #expect(!FileManager.default.fileExists(atPath: cache.appendingPathComponent("models--test-org--tiny-model/refs/main").path))
        let links = FileManager.default.enumerator(atPath: snapshotModel.path)?.allObjects as? [String] ?? []
        #expect(!links.contains { $0.hasSuffix("model.onnx") })
        #expect(blobs().contains { $0.hasSuffix(".incomplete") })

        let model = try await hub.run { url in try await store(url).resolve(ModelID(id)) }
        #expect(hub.requests.last { $0.path.hasSuffix("/onnx/model.onnx") }?.range == "bytes=\(size * 3 / 4)-")
        #expect(try Data(contentsOf: model.folder.appendingPathComponent("onnx/model.onnx"))
            == Data(contentsOf: TestPaths.fixture("tiny-model/onnx/model.onnx")))
        #expect(!blobs().contains { $0.hasSuffix(".incomplete") })
    }

    @Test func aCorruptedByteFailsTheChecksumAndNothingIsKept() async throws {
        let hub = try hub()
        hub.inject(.corrupt(byteAt: 100), id: id, path: "onnx/model.onnx")
        hub.inject(.corrupt(byteAt: 3), id: id, path: "tokenizer.json")
        let id = id
        let error: HubError? = try await hub.run { url in
            await hubError { try await store(url).resolve(ModelID(id)) }
        }
        #expect(error?.code == .checksumMismatch)
        #expect(error?.message.contains("tokenizer.json") == true, "\(error?.message ?? "")")
        let served = try FakeHubRepository(id: id, folder: TestPaths.fixture("tiny-model"))
        #expect(!blobs().contains(served.etag("tokenizer.json") ?? "?"))
        #expect(!blobs().contains { $0.hasSuffix(".incomplete") })

        // The next pull downloads cleanly (and the ONNX corruption is caught the same way).
        let second: HubError? = try await hub.run { url in
            await hubError { try await store(url).resolve(ModelID(id)) }
        }
        #expect(second?.code == .checksumMismatch)
        #expect(second?.message.contains("onnx/model.onnx") == true, "\(second?.message ?? "")")
        let model = try await hub.run { url in try await store(url).resolve(ModelID(id)) }
        #expect(try Data(contentsOf: model.folder.appendingPathComponent("onnx/model.onnx")) == served.files["onnx/model.onnx"]?.contents)
    }

    @Test func missingModelsRevisionsAndFilesAre404s() async throws {
        let hub = try hub()
        let errors: [HubError?] = try await hub.run { url in
            var errors: [HubError?] = []
            for (model, revision, token) in [("test-org/nothing", "main", "hf_t"), (id, "v9", nil)] {
                errors.append(await hubError { try await store(url, token: token).resolve(ModelID(model), revision: Revision(revision)) })
            }
            return errors
        }
        #expect(errors.map(\.?.code) == [.notFound, .notFound])
        #expect(errors[0]?.message.contains("test-org/nothing") == true, "\(errors[0]?.message ?? "")")
        #expect(errors[1]?.message.contains("v9") == true, "\(errors[1]?.message ?? "")")

        hub.inject(.status(404), id: id, path: "tokenizer.json")
        let file: HubError? = try await hub.run { url in
            await hubError { try await store(url).resolve(ModelID(id)) }
        }
        #expect(file?.code == .notFound)
        #expect(file?.message.contains("tokenizer.json") == true, "\(file?.message ?? "")")
    }

    @Test func gatedModelsNeedTheToken() async throws {
        let hub = FakeHub()
        hub.add(try FakeHubRepository(id: id, folder: TestPaths.fixture("tiny-model"), requiredToken: "hf_secret"))
        let id = id
        let (refused, wrong, model) = try await hub.run { url in
            var errors: [HubError?] = []
            for token in [nil, "hf_wrong"] as [String?] {
                errors.append(await hubError { try await store(url, token: token).resolve(ModelID(id)) })
            }
            return (errors[0], errors[1], try await store(url, token: "hf_secret").resolve(ModelID(id)))
        }
        #expect(refused?.code == .unauthorized)
        #expect(refused?.message.contains("HF_TOKEN") == true, "\(refused?.message ?? "")")
        #expect(wrong?.code == .unauthorized)
        #expect(wrong?.message.contains("token was refused") == true, "\(wrong?.message ?? "")")
        #expect(hub.requests.last?.authorization == "Bearer hf_secret")
        #expect(model.downloaded.count == 8)
    }

    @Test func anUnreachableHubIsANetworkError() async throws {
        let error = await hubError { try await store(URL(string: "http://127.0.0.1:9")!).resolve(ModelID(id)) }
        #expect(error?.code == .network)
        #expect(error?.message.contains("cannot reach http://127.0.0.1:9") == true, "\(error?.message ?? "")")
    }
}
