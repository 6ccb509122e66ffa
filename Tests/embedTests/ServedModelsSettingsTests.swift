import ArgumentParser
@testable import embed
import EmbedEngine
import EmbedServer
import EmbedTestSupport
import Foundation
import Logging
import Testing

/// Several models for `embed serve`: a repeated `--model [name=]model` or `server.models` in
/// the configuration file, the first the default; names from `name=`, else the model as given;
/// other commands take one `--model`.
struct ServedModelsSettingsTests {
    let logger = Logger(label: "test")

    func loaded(_ arguments: [String], serving: Bool = true, config: String? = nil) throws -> SettingsLoader.Loaded {
        let options = try ModelOptions.parse(arguments)
        return try SettingsLoader(
            environment: ["HOME": "/home/u"], configFile: config, flags: options.flagSettings(serving: serving)
        ).load()
    }

    @Test func repeatedModelFlagsServeEachUnderItsName() throws {
        let settings = try loaded(["--model", "minilm=sentence-transformers/all-MiniLM-L6-v2", "--model", "openai/clip-vit-base-patch32"])
            .settings
        #expect(settings.model == "sentence-transformers/all-MiniLM-L6-v2")
        #expect(settings.server.modelID == "minilm")
        #expect(settings.server.models == ["openai/clip-vit-base-patch32"])
        let served = try settings.servedModels(logger: logger)
        #expect(served.map(\.name) == ["minilm", "openai/clip-vit-base-patch32"])
        #expect(served.map { $0.source.description } == ["sentence-transformers/all-MiniLM-L6-v2", "openai/clip-vit-base-patch32"])
        #expect(try settings.serverConfiguration().modelID == "minilm")
    }

    @Test func oneModelKeepsItsOwnName() throws {
        let served = try loaded(["--model", "sentence-transformers/all-MiniLM-L6-v2"]).settings.servedModels(logger: logger)
        #expect(served.count == 1)
        #expect(served[0].name == nil, "served as the loaded model's own name, as before")
    }

    @Test func theConfigurationFileListsTheOthers() throws {
        let folder = try TestPaths.temporaryFolder()
        let clip = folder.appendingPathComponent("tiny-clip")
        try FileManager.default.createDirectory(at: clip, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("serve.yaml")
        try """
            model: sentence-transformers/all-MiniLM-L6-v2
            server:
              model_id: minilm
              models: [clip=\(clip.path), \(clip.path)]
            """.write(to: file, atomically: true, encoding: .utf8)
        let settings = try loaded([], config: file.path).settings
        #expect(settings.server.models == ["clip=\(clip.path)", clip.path])
        let served = try settings.servedModels(logger: logger)
        // An existing path is never split at '='; a folder is served as its name.
        #expect(served.map(\.name) == ["minilm", "clip", "tiny-clip"])
    }

    @Test func wrongItemsAndKeysAreErrorsNamingThem() throws {
        func message(_ body: () throws -> Any) -> String {
            do {
                _ = try body()
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let empty = message { try loaded(["--model", "a", "--model", "=x"]) }
        #expect(empty.contains("server.models") && empty.contains("neither part empty"), "\(empty)")
        let folder = try TestPaths.temporaryFolder()
        let file = folder.appendingPathComponent("bad.yaml")
        try "server:\n  modles: [a]\n".write(to: file, atomically: true, encoding: .utf8)
        let unknown = message { try loaded([], config: file.path) }
        #expect(unknown.contains("unknown configuration key 'server.modles'"), "\(unknown)")
        let notServing = message { try loaded(["--model", "a", "--model", "b"], serving: false) }
        #expect(notServing.contains("only embed serve serves several models"), "\(notServing)")
    }
}
