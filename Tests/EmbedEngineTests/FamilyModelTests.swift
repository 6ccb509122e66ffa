import EmbedCore
import EmbedEngine
import EmbedORT
import EmbedTestSupport
import EmbedTokenizers
import Foundation
import Testing

/// Tiny random models of each family (scripts/make_family_models.py) against
/// sentence-transformers on PyTorch: every text of every result ≥ 0.9999 cosine.
///
/// The bert family also checks the pooling modes, prompts (by name, literal, by default,
/// excluded from pooling) and Dense layers, one variant folder each.
@Suite(.enabled(if: TestRuntime.isAvailable, "needs ONNX Runtime: run `make setup` or set ORT_DYLIB_PATH"))
struct FamilyModelTests {
    static let minimumCosine: Float = 0.9999

    struct Reference: Decodable {
        struct Result: Decodable {
            var variant: String
            var prompt_name: String?
            var prompt: String?
            var embeddings: [[Float]]
        }

        var family: String
        var inputs: [String]
        var max_seq_length: Int
        var texts: [String]
        var results: [Result]
    }

    static func folder(_ family: String) -> URL { TestPaths.fixture("families/\(family)") }

    static func reference(_ family: String) throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: folder(family).appendingPathComponent("reference.json")))
    }

    /// The family folder with a variant's files laid over it, in a temporary folder.
    static func assemble(_ family: String, variant: String) throws -> URL {
        let base = folder(family)
        guard variant != "default" else { return base }
        let target = try TestPaths.temporaryFolder().appendingPathComponent(family)
        try copy(base, to: target, skipping: ["variants", "reference.json"])
        try copy(base.appendingPathComponent("variants/\(variant)"), to: target, skipping: [])
        return target
    }

    static func copy(_ source: URL, to target: URL, skipping: Set<String>) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: target, withIntermediateDirectories: true)
        for name in try manager.contentsOfDirectory(atPath: source.path) where !skipping.contains(name) {
            let from = source.appendingPathComponent(name)
            let to = target.appendingPathComponent(name)
            if try from.resourceValues(forKeys: [.isDirectoryKey]).isDirectory == true {
                try copy(from, to: to, skipping: [])
            } else {
                if manager.fileExists(atPath: to.path) { try manager.removeItem(at: to) }
                try manager.copyItem(at: from, to: to)
            }
        }
    }

    /// Loads a model.
    static func embedder(_ folder: URL) async throws -> Embedder {
        try await Embedder(.folder(folder), logger: TestRuntime.logger)
    }

    /// Every result of `family` against PyTorch; returns how many were compared.
    @discardableResult
    static func compare(_ family: String) async throws -> Int {
        let reference = try reference(family)
        #expect(reference.family == family)
        var compared = 0
        for variant in Array(Set(reference.results.map(\.variant))).sorted() {
            let embedder = try await embedder(try assemble(family, variant: variant))
            #expect(embedder.info.maxLength.value == reference.max_seq_length, "\(family)/\(variant) maximum length")
            for result in reference.results where result.variant == variant {
                let prompt: PromptChoice = result.prompt.map(PromptChoice.literal) ?? result.prompt_name.map(PromptChoice.named) ?? .automatic
                let options = EmbeddingOptions(prompt: prompt)
                let vectors = try await embedder.embed(reference.texts, options: options)
                try #require(vectors.count == result.embeddings.count)
                for (index, (vector, expected)) in zip(vectors, result.embeddings).enumerated() {
                    #expect(vector.count == expected.count, "\(family)/\(variant) text \(index): dimension")
                    let cosine = try VectorMath.cosine(vector, expected)
                    #expect(
                        cosine >= minimumCosine,
                        "\(family)/\(variant) \(options) text \(index) \(reference.texts[index].prefix(40).debugDescription): cosine \(cosine), need ≥ \(minimumCosine)")
                }
                compared += 1
            }
        }
        return compared
    }

    @Test func bertMatchesPyTorchInEveryVariant() async throws {
        let compared = try await Self.compare("bert")
        #expect(compared == (try Self.reference("bert")).results.count)
        #expect(compared >= 20, "the bert fixture covers pooling modes, prompts and Dense layers")
    }

    @Test func distilBertHasNoTokenTypeInputAndMatchesPyTorch() async throws {
        let reference = try Self.reference("distilbert")
        #expect(!reference.inputs.contains("token_type_ids"))
        let embedder = try await Self.embedder(Self.folder("distilbert"))
        #expect(embedder.info.runtime?.inputs.map(\.name) == reference.inputs)
        #expect(embedder.info.pooling == .cls)
        #expect(embedder.info.normalize == false)
        try await Self.compare("distilbert")
    }

    @Test func mpnetMatchesPyTorch() async throws {
        try await Self.compare("mpnet")
    }

    @Test func xlmRobertaMatchesPyTorch() async throws {
        try await Self.compare("xlm-roberta")
    }

    @Test func bertDescribesItsModulesAndPrompts() async throws {
        let embedder = try await Self.embedder(try Self.assemble("bert", variant: "dense"))
        #expect(embedder.info.outputModules == ["Dense 2_Dense (32 → 16, Tanh)", "Normalize"])
        #expect(embedder.info.dimension == 16)
        #expect(embedder.info.prompts.prompts["query"] == "query: ")
        #expect(embedder.info.prompts.source == "config_sentence_transformers.json")
        #expect(embedder.info.normalize)
    }

    @Test func promptChoicesAreChecked() async throws {
        let embedder = try await Self.embedder(Self.folder("bert"))
        await #expect(throws: EmbedError.self) {
            try await embedder.embed(["a"], options: EmbeddingOptions(prompt: .named("nonexistent")))
        }
        // No prompt at all is the text alone (within 1e-6).
        let none = try await embedder.embed(["hello"], options: EmbeddingOptions(prompt: .none))[0]
        for (a, b) in zip(none, try await embedder.embed(["hello"])[0]) { #expect(abs(a - b) <= 1e-6, "tolerance 1e-6") }
        // A name and the same literal prompt give the same vector (within 1e-6).
        let named = try await embedder.embed(["hello"], options: EmbeddingOptions(prompt: .named("query")))[0]
        let literal = try await embedder.embed(["hello"], options: EmbeddingOptions(prompt: .literal("query: ")))[0]
        let plain = try await embedder.embed(["query: hello"])[0]
        for (a, b) in zip(named, literal) { #expect(abs(a - b) <= 1e-6, "tolerance 1e-6") }
        for (a, b) in zip(named, plain) { #expect(abs(a - b) <= 1e-6, "tolerance 1e-6") }
    }

    @Test func configuredDefaultPromptMustExist() async throws {
        await #expect(throws: EmbedError.self) {
            try await Embedder(
                .folder(Self.folder("bert")), configuration: EmbedderConfiguration(defaultPrompt: .named("nope")),
                logger: TestRuntime.logger)
        }
        let configured = try await Embedder(
            .folder(Self.folder("bert")), configuration: EmbedderConfiguration(defaultPrompt: .named("query")),
            logger: TestRuntime.logger)
        let plain = try await Self.embedder(Self.folder("bert"))
        let viaDefault = try await configured.embed(["hello"])[0]
        let viaCall = try await plain.embed(["hello"], options: EmbeddingOptions(prompt: .named("query")))[0]
        for (a, b) in zip(viaDefault, viaCall) { #expect(abs(a - b) <= 1e-6, "tolerance 1e-6") }
    }
}
