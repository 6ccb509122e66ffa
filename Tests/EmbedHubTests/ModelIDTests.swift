import EmbedHub
import Foundation
import Testing

struct ModelIDTests {
    @Test(arguments: ["sentence-transformers/all-MiniLM-L6-v2", "BAAI/bge-small-en-v1.5", "bert-base-uncased", "a/b", "x_y/z.1"])
    func validIDsParse(_ text: String) throws {
        let id = try ModelID(text)
        #expect(id.description == text)
        #expect(!id.cacheFolderName.contains("/"))
    }

    @Test(arguments: [
        "", "/", "a/", "/a", "a/b/c", "../x", "a/..", "a/../b", "..", "a--b/c", "a/b c", "a/b\u{0}", "a\\b", "a/é",
        "-a/b", "a/b.", "/etc/passwd", "~/model", "a/" + String(repeating: "x", count: 97),
    ])
    func idsThatCouldEscapeTheCacheAreRefused(_ text: String) {
        #expect(throws: HubError.self) { try ModelID(text) }
        do {
            _ = try ModelID(text)
        } catch {
            #expect(error.code == .invalidModelID)
            #expect(error.message.contains("invalid model id"), "\(error.message)")
        }
    }

    @Test func cacheFolderFollowsTheHuggingFaceLayout() throws {
        #expect(try ModelID("sentence-transformers/all-MiniLM-L6-v2").cacheFolderName == "models--sentence-transformers--all-MiniLM-L6-v2")
        #expect(try ModelID("bert-base-uncased").cacheFolderName == "models--bert-base-uncased")
    }

    @Test func revisionsAreChecked() throws {
        #expect(try Revision("main").isCommit == false)
        #expect(try Revision(String(repeating: "a1", count: 20)).isCommit)
        for bad in ["", "../main", "/main", "a b", "a\\b"] {
            #expect(throws: HubError.self, "\(bad)") { try Revision(bad) }
        }
    }
}

struct HubConfigurationTests {
    @Test func followsThePythonToolsEnvironment() {
        let defaults = HubConfiguration.fromEnvironment(["HOME": "/home/u"])
        #expect(defaults.cacheDirectory.path == "/home/u/.cache/huggingface/hub")
        #expect(defaults.endpoint.absoluteString == "https://huggingface.co")
        #expect(defaults.offline == false)

        let xdg = HubConfiguration.fromEnvironment(["HOME": "/home/u", "XDG_CACHE_HOME": "/xdg"])
        #expect(xdg.cacheDirectory.path == "/xdg/huggingface/hub")
        let home = HubConfiguration.fromEnvironment(["HOME": "/home/u", "HF_HOME": "/hf"])
        #expect(home.cacheDirectory.path == "/hf/hub")
        let hub = HubConfiguration.fromEnvironment(["HOME": "/home/u", "HF_HOME": "/hf", "HF_HUB_CACHE": "/cache"])
        #expect(hub.cacheDirectory.path == "/cache")

        let all = HubConfiguration.fromEnvironment([
            "HOME": "/home/u", "HF_ENDPOINT": "http://mirror.local:8080", "HF_TOKEN": "hf_x", "HF_HUB_OFFLINE": "1",
        ])
        #expect(all.endpoint.absoluteString == "http://mirror.local:8080")
        #expect(all.token == "hf_x")
        #expect(all.offline)
        #expect(HubConfiguration.fromEnvironment(["HOME": "/h", "HF_HUB_OFFLINE": "0"]).offline == false)
    }
}
