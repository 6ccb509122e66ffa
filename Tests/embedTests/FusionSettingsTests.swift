@testable import embed
import EmbedServer
import Foundation
import Testing

/// `server.fusion*`: no default fusion unless set, the three keys into ``ServerFusion``, and
/// wrong values refused naming the key.
struct FusionSettingsTests {
    func load(_ environment: [String: String]) throws -> SettingsLoader.Loaded {
        try SettingsLoader(environment: ["HOME": "/home/u"].merging(environment) { $1 }, configFile: nil, flags: []).load()
    }

    func error(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func noDefaultFusionUnlessSet() throws {
        #expect(try load([:]).settings.serverConfiguration().fusion == ServerFusion())
    }

    @Test func theKeysMakeTheServersFusion() throws {
        let loaded = try load([
            "EMBED_SERVER_FUSION": "concat", "EMBED_SERVER_FUSION_WEIGHT": "0.25", "EMBED_SERVER_FUSION_PROJECTION": "p.safetensors",
        ])
        let fusion = try loaded.settings.serverConfiguration().fusion
        #expect(fusion.mode == .concat)
        #expect(fusion.weight == 0.25)
        #expect(fusion.projection?.lastPathComponent == "p.safetensors")
    }

    @Test func wrongValuesNameTheKey() throws {
        let weight = error { try load(["EMBED_SERVER_FUSION_WEIGHT": "1.5"]) }
        #expect(weight.contains("server.fusion_weight") && weight.contains("from 0 to 1"), "\(weight)")
        let mode = error { try load(["EMBED_SERVER_FUSION": "sum"]) }
        #expect(mode.contains("server.fusion") && mode.contains("mean"), "\(mode)")
        let orphan = error { try load(["EMBED_SERVER_FUSION_PROJECTION": "p.safetensors"]).settings.serverConfiguration() }
        #expect(orphan.contains("needs a fusion mode"), "\(orphan)")
    }
}
