@testable import embed
import EmbedCore
import EmbedEngine
import EmbedHub
import EmbedORT
import EmbedServer
import EmbedTestSupport
import Foundation
import Testing

/// The configuration layers: defaults < file < environment < flags, one parser for all.
struct SettingsTests {
    let home = ["HOME": "/home/u"]

    func load(file: String? = nil, _ environment: [String: String] = [:], flags: [SettingsLoader.Flag] = []) throws -> SettingsLoader.Loaded {
        try SettingsLoader(environment: home.merging(environment) { $1 }, configFile: file, flags: flags).load()
    }

    func write(_ text: String, as name: String) throws -> String {
        let url = try TestPaths.temporaryFolder().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func error(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultsFollowTheHuggingFaceToolsAndTheLibrary() throws {
        let loaded = try load()
        let settings = loaded.settings
        #expect(settings.cacheDir == "/home/u/.cache/huggingface/hub")
        #expect(settings.hub.endpoint == "https://huggingface.co")
        #expect(settings.onnx.providers == [.cpu])
        #expect(settings.fallback == EmbedderConfiguration().fallback)
        #expect(settings.fallback == [.cpu, .fp32, .onnxRuntime])
        #expect(settings.runtime == nil, "unset: the command's default")
        #expect(loaded.sources.isEmpty)
        let configuration = try settings.embedderConfiguration()
        #expect(configuration.runtime == .onnxRuntime, "the library's default")
        #expect(try settings.embedderConfiguration(serving: true).runtime == .auto, "embed serve measures")
        let library = EmbedderConfiguration()
        #expect(configuration.batching == library.batching)
        #expect(configuration.cache == library.cache)
        #expect(configuration.providers == library.providers)
        #expect(configuration.fallback == library.fallback)
        #expect(configuration.session == library.session)
        #expect(configuration.variant == library.variant)
        #expect(configuration.engine == .onnx)
    }

    @Test func laterSourcesOverrideEarlierOnesAndAreNamed() throws {
        let file = try write("batch:\n  max_size: 8\nmax_length: 128\nonnx.providers: [cuda, cpu]\nnormalize: no\n", as: "c.yaml")
        let loaded = try load(
            file: file, ["EMBED_MAX_LENGTH": "64", "EMBED_NORMALIZE": "true"],
            flags: [.init(key: "max_length", value: .scalar("32"), flag: "--max-length")])
        #expect(loaded.settings.batch.maxSize == 8)
        #expect(loaded.settings.onnx.providers == [.cuda, .cpu])
        #expect(loaded.settings.maxLength == 32)
        #expect(loaded.settings.normalize == true)
        #expect(loaded.source(of: "batch.max_size") == "file \(file)")
        #expect(loaded.source(of: "normalize") == "EMBED_NORMALIZE")
        #expect(loaded.source(of: "max_length") == "--max-length")
        #expect(loaded.source(of: "pooling") == "default")
    }

    @Test func jsonFilesAndTheEnvironmentNameTheFile() throws {
        let file = try write(#"{"model": "org/name", "onnx": {"variant": "quantized", "intra_op_num_threads": 2}, "fallback": []}"#, as: "c.json")
        let settings = try load(["EMBED_CONFIG": file]).settings
        #expect(settings.model == "org/name")
        #expect(settings.onnx.variant == .quantized)
        #expect(settings.onnx.intraOpNumThreads == 2)
        #expect(settings.fallback.isEmpty)
        #expect(try settings.embedderConfiguration().variant == .quantized)
    }

    @Test func unknownKeysAndBadValuesNameKeySourceAndWhatIsAllowed() throws {
        let typo = try write("onnx:\n  provider: [cpu]\n", as: "c.yaml")
        let message = error { try load(file: typo) }
        #expect(message.contains("unknown configuration key 'onnx.provider' (from file \(typo))"), "\(message)")
        #expect(message.contains("did you mean onnx.providers"), "\(message)")

        let provider = error { try load(["EMBED_ONNX_PROVIDERS": "cuda,gpu"]) }
        #expect(provider.contains("for onnx.providers (from EMBED_ONNX_PROVIDERS): unknown execution provider 'gpu'"), "\(provider)")
        #expect(provider.contains("coreml"), "lists the allowed providers: \(provider)")

        let level = error { try load(flags: [.init(key: "onnx.graph_optimization_level", value: .scalar("max"), flag: "--set onnx.graph_optimization_level")]) }
        #expect(level.contains("expected one of disabled, basic, extended, all, got 'max'"), "\(level)")

        let number = error { try load(["EMBED_BATCH_MAX_SIZE": "many"]) }
        #expect(number.contains("invalid value 'many' for batch.max_size (from EMBED_BATCH_MAX_SIZE): expected an integer"), "\(number)")

        let flag = error { try load(["EMBED_OFFLINE": "perhaps"]) }
        #expect(flag.contains("expected true or false, got 'perhaps'"), "\(flag)")

        let endpoint = error { try load(["HF_ENDPOINT": "ftp://mirror"]) }
        #expect(endpoint.contains("for hub.endpoint (from HF_ENDPOINT): expected an http or https URL"), "\(endpoint)")

        let twice = try write("batch.max_size: 4\nbatch:\n  max_size: 8\n", as: "c.yaml")
        #expect(error { try load(file: twice) }.contains("sets batch.max_size twice"))
        #expect(error { try load(file: try write("- a\n- b\n", as: "c.yaml")) }.contains("expected a map of keys to values"))
        #expect(error { try load(file: try write("model: [a\n", as: "c.yaml")) }.contains("is not valid YAML"))
        #expect(error { try load(file: try write("model = x\n", as: "c.toml")) }.contains("expected a .yaml, .yml or .json file"))
        #expect(error { try load(file: "/nonexistent/c.yaml") }.contains("cannot read configuration file /nonexistent/c.yaml"))
    }

    @Test func huggingFaceVariablesAreReadAndEmbedVariablesWin() throws {
        let hfHome = try TestPaths.temporaryFolder()
        try Data("hf_from_file\n".utf8).write(to: hfHome.appendingPathComponent("token"))
        let fromHome = try load(["HF_HOME": hfHome.path])
        #expect(fromHome.settings.cacheDir == hfHome.appendingPathComponent("hub").path)
        #expect(fromHome.settings.hub.token == "hf_from_file")
        #expect(fromHome.source(of: "hub.token") == "HF_HOME/token")

        let hub = try load(["HF_HOME": hfHome.path, "HF_HUB_CACHE": "/c", "HF_TOKEN": "hf_env", "HF_HUB_OFFLINE": "1", "HF_ENDPOINT": "http://m:1"])
        #expect(hub.settings.cacheDir == "/c")
        #expect(hub.settings.hub.token == "hf_env")
        #expect(hub.settings.offline)
        #expect(hub.settings.hubConfiguration == HubConfiguration(endpoint: URL(string: "http://m:1")!, token: "hf_env", cacheDirectory: URL(fileURLWithPath: "/c"), offline: true))

        let ours = try load(["HF_HUB_CACHE": "/c", "EMBED_CACHE_DIR": "/ours", "ORT_DYLIB_PATH": "/lib/ort"])
        #expect(ours.settings.cacheDir == "/ours")
        #expect(ours.source(of: "cache_dir") == "EMBED_CACHE_DIR")
        #expect(ours.settings.onnx.libraryPath == "/lib/ort")
    }

    @Test func conflictingKeysAreRefused() {
        let message = error {
            try load(["EMBED_ONNX_VARIANT": "fp32"], flags: [.init(key: "onnx.quantized", value: .scalar("true"), flag: "--quantized")])
        }
        #expect(message.contains("onnx.quantized (from --quantized) only applies with onnx.variant auto"), "\(message)")
        #expect(message.contains("fp32 (from EMBED_ONNX_VARIANT)"), "\(message)")
    }

    @Test func settingsMapOntoTheLibrary() throws {
        let settings = try load([
            "EMBED_ONNX_ENABLED": "false", "EMBED_FALLBACK": "cpu,hashing", "EMBED_ONNX_QUANTIZED": "true",
            "EMBED_ONNX_GRAPH_OPTIMIZATION_LEVEL": "basic", "EMBED_ONNX_EXECUTION_MODE": "parallel",
            "EMBED_ONNX_INTER_OP_NUM_THREADS": "2", "EMBED_POOLING": "cls", "EMBED_HASHING_DIMENSION": "64",
        ]).settings
        let configuration = try settings.embedderConfiguration(batchSize: 3)
        #expect(configuration.engine == .hashing)
        #expect(configuration.fallback == [.cpu, .hashing])
        #expect(configuration.variant == .auto(preferQuantized: true))
        #expect(configuration.session.graphOptimizationLevel == .basic)
        #expect(configuration.session.executionMode == .parallel)
        #expect(configuration.session.interOpThreads == 2)
        #expect(configuration.pooling?.modes == [.cls])
        #expect(configuration.hashingDimension == 64)
        #expect(configuration.batching.maxBatchSize == 3)
    }

    @Test func theServerRunsTwoSingleThreadedWorkersUnlessTold() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let defaults = try load().settings
        #expect(defaults.parallelism(serving: false) == (1, 0) as (Int, Int), "offline: one run, ONNX Runtime's threads")
        let served = try defaults.embedderConfiguration(serving: true)
        if cores >= 2 {
            #expect(served.batching.workers == 2 && served.session.intraOpThreads == cores / 2)
        } else {
            #expect(served.batching.workers == 1 && served.session.intraOpThreads == 0)
        }
        let workers = try load(["EMBED_BATCH_WORKERS": "3"]).settings
        #expect(workers.parallelism(serving: true) == (3, 0) as (Int, Int), "explicit workers are kept")
        let threads = try load(["EMBED_ONNX_INTRA_OP_NUM_THREADS": "4"]).settings
        #expect(threads.parallelism(serving: true) == (1, 4) as (Int, Int), "explicit threads are kept, with one worker")
    }

    @Test func modelNamesBecomeSources() throws {
        var settings = try load().settings
        #expect(error { try settings.modelSource() }.contains("no model: pass --model"))
        settings.model = "sentence-transformers/all-MiniLM-L6-v2"
        #expect(try settings.modelSource() == .hub(ModelID("sentence-transformers/all-MiniLM-L6-v2"), revision: .main))
        settings.model = TestPaths.fixture("tiny-model").path
        #expect(try settings.modelSource() == .folder(TestPaths.fixture("tiny-model")))
        settings.model = "/nonexistent/model"
        #expect(error { try settings.modelSource() }.contains("no model at /nonexistent/model"))
        settings.model = "not a model"
        #expect(error { try settings.modelSource() }.contains("not a hub model id"))
        settings.onnx.enabled = false
        settings.model = nil
        #expect(throws: Never.self) { try settings.modelSource() }
    }

    @Test func printedConfigurationReadsBackAsTheSameSettings() throws {
        let original = try load(["EMBED_ONNX_PROVIDERS": "cuda,cpu", "EMBED_MAX_LENGTH": "77", "EMBED_MODEL": "a \"quoted\" path"])
        let file = try write(SettingsReport.yaml(original), as: "printed.yaml")
        let again = try load(file: file)
        #expect(again.settings == original.settings)
        let json = try JSONSerialization.jsonObject(with: Data(SettingsReport.json(original).utf8)) as? [String: [String: Any]]
        #expect(json?["max_length"]?["value"] as? Int == 77)
        #expect(json?["max_length"]?["source"] as? String == "EMBED_MAX_LENGTH")
    }

    @Test func theTokenIsNeverPrinted() throws {
        let loaded = try load(["HF_TOKEN": "hf_secret_value"])
        #expect(!SettingsReport.yaml(loaded).contains("hf_secret_value"))
        #expect(try !SettingsReport.json(loaded).contains("hf_secret_value"))
    }

    /// The guide's example file is a configuration that loads (every key exists).
    @Test func theConfigurationGuidesExampleLoads() throws {
        let guide = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        let start = try #require(guide.range(of: "```yaml\n# embed.yaml\n"), "the example is there")
        let end = try #require(guide[start.upperBound...].range(of: "```"))
        let file = try write(String(guide[start.upperBound..<end.lowerBound]), as: "embed.yaml")
        let settings = try load(file: file).settings
        #expect(settings.batch.maxTokens == 2048)
        #expect(settings.server.maxClientBatchSize == 64)
    }

    @Test func theConfigurationGuideListsEveryKey() throws {
        let guide = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        for key in SettingKey.all {
            #expect(guide.contains("| `\(key.name)` |"), "docs/configuration.md does not list \(key.name)")
            #expect(guide.contains(key.environmentName), "docs/configuration.md does not name \(key.environmentName)")
        }
        #expect(guide.contains(SettingsReport.keysMarkdown()), "the key table in docs/configuration.md is out of date: regenerate it with `embed config --keys --format markdown`")
    }
}
