import EmbedCore
@testable import EmbedEngine
import EmbedTestSupport
import Foundation
import Testing

/// Safetensors reading, and the registry filling what a known model's files leave out.
struct SafetensorsTests {
    /// A safetensors file with the given header and data bytes.
    static func file(header: String, data: [UInt8]) throws -> URL {
        let headerBytes = Array(header.utf8)
        var bytes: [UInt8] = (0..<8).map { UInt8((headerBytes.count >> (8 * $0)) & 0xFF) }
        bytes += headerBytes + data
        let url = try TestPaths.temporaryFolder().appendingPathComponent("model.safetensors")
        try Data(bytes).write(to: url)
        return url
    }

    @Test func readsFloat32Float16AndBFloat16() throws {
        // F32 1.5 = 0x3FC00000; F16 -2 = 0xC000 and 0.5 = 0x3800; BF16 3 = 0x4040.
        let header = """
            {"__metadata__": {"format": "pt"}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
             "b": {"dtype": "F16", "shape": [2], "data_offsets": [4, 8]}, "c": {"dtype": "BF16", "shape": [1, 1], "data_offsets": [8, 10]}}
            """
        let url = try Self.file(header: header, data: [0x00, 0x00, 0xC0, 0x3F, 0x00, 0xC0, 0x00, 0x38, 0x40, 0x40])
        let file = try Safetensors(contentsOf: url)
        #expect(try file.floats("a").values == [1.5])
        #expect(try file.floats("b").values == [-2, 0.5])
        let c = try file.floats("c")
        #expect(c.shape == [1, 1] && c.values == [3])
        #expect(throws: EmbedError.self) { try file.floats("missing") }
    }

    @Test func halfPrecisionEdgeCases() {
        #expect(Safetensors.halfToFloat(0x3C00) == 1)
        #expect(Safetensors.halfToFloat(0x0001) == Float(sign: .plus, exponent: -24, significand: 1), "smallest subnormal")
        #expect(Safetensors.halfToFloat(0x7C00) == .infinity)
        #expect(Safetensors.halfToFloat(0x7E00).isNaN)
        #expect(Safetensors.halfToFloat(0x7BFF) == 65504, "largest half")
    }

    @Test func inconsistentFilesAreRefused() throws {
        let overlong = try Self.file(header: #"{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}"#, data: [0, 0, 0, 0])
        #expect(throws: EmbedError.self) { try Safetensors(contentsOf: overlong).floats("a") }
        let huge = try Self.file(header: #"{"a": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0])
        #expect(throws: EmbedError.self) { try Safetensors(contentsOf: huge).floats("a") }
        let url = try TestPaths.temporaryFolder().appendingPathComponent("short.safetensors")
        try Data([1, 2, 3]).write(to: url)
        #expect(throws: EmbedError.self) { try Safetensors(contentsOf: url) }
    }
}

@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct RegistryTests {
    /// The tiny bert family folder renamed after a known model, without the files the
    /// registry can stand in for.
    static func knownFolder(_ name: String, removing: [String]) throws -> URL {
        let folder = try TestPaths.temporaryFolder().appendingPathComponent(name)
        try FileManager.default.copyItem(at: TestPaths.fixture("families/bert"), to: folder)
        for path in removing { try FileManager.default.removeItem(at: folder.appendingPathComponent(path)) }
        return folder
    }

    @Test func registryFillsOnlyWhatTheFilesDoNotSay() async throws {
        let folder = try Self.knownFolder("bge-small-en-v1.5", removing: ["config_sentence_transformers.json", "1_Pooling", "variants"])
        let embedder = try await Embedder(.folder(folder), logger: TestRuntime.logger)
        #expect(embedder.info.knownModel == "BAAI/bge-small-en-v1.5")
        #expect(embedder.info.pooling == .cls, "pooling from the registry")
        #expect(embedder.info.prompts.prompts["query"] == "Represent this sentence for searching relevant passages: ")
        #expect(embedder.info.prompts.source == "registry (BAAI/bge-small-en-v1.5)")
        #expect(embedder.info.filledFromRegistry.count == 2, "\(embedder.info.filledFromRegistry)")
        #expect(embedder.info.normalize, "modules.json's own Normalize")

        let own = try await Embedder(.folder(try Self.knownFolder("bge-small-en-v1.5", removing: ["variants"])), logger: TestRuntime.logger)
        #expect(own.info.pooling == .mean, "the model's own 1_Pooling wins")
        #expect(own.info.prompts.prompts["query"] == "query: ", "the model's own prompts win")
        #expect(own.info.filledFromRegistry.isEmpty)

        // sentence-transformers 6 saves empty query/document prompts in every model: they say nothing.
        let emptied = try Self.knownFolder("bge-small-en-v1.5", removing: ["variants"])
        try Data(#"{"prompts": {"query": "", "document": ""}, "default_prompt_name": null}"#.utf8)
            .write(to: emptied.appendingPathComponent("config_sentence_transformers.json"))
        let filled = try await Embedder(.folder(emptied), logger: TestRuntime.logger)
        #expect(filled.info.prompts.prompts["query"] == "Represent this sentence for searching relevant passages: ")
        #expect(filled.info.prompts.prompts["document"] == "")

        let off = try await Embedder(
            .folder(folder), configuration: EmbedderConfiguration(useRegistry: false), logger: TestRuntime.logger)
        #expect(off.info.knownModel == nil)
        #expect(off.info.pooling == .mean, "sentence-transformers' default without 1_Pooling")
        #expect(off.info.prompts.prompts.isEmpty)
    }

    @Test func denseWithoutSafetensorsIsAClearError() async throws {
        let folder = try TestPaths.temporaryFolder().appendingPathComponent("dense")
        try FileManager.default.copyItem(at: TestPaths.fixture("families/bert"), to: folder)
        let variant = folder.appendingPathComponent("variants/dense")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("modules.json"))
        try FileManager.default.copyItem(at: variant.appendingPathComponent("modules.json"), to: folder.appendingPathComponent("modules.json"))
        try FileManager.default.copyItem(at: variant.appendingPathComponent("2_Dense"), to: folder.appendingPathComponent("2_Dense"))
        try FileManager.default.moveItem(
            at: folder.appendingPathComponent("2_Dense/model.safetensors"), to: folder.appendingPathComponent("2_Dense/pytorch_model.bin"))
        do {
            _ = try await Embedder(.folder(folder), logger: TestRuntime.logger)
            Issue.record("expected the missing Dense weights to be an error")
        } catch {
            #expect(error.code == .invalidModel)
            #expect(error.message.contains("2_Dense has no model.safetensors"), "\(error.message)")
            #expect(error.message.contains("pytorch_model.bin"), "\(error.message)")
        }
    }
}
