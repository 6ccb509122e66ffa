import EmbedCore
import EmbedEngine
import Testing

/// The registry of known models, without a model.
struct RegistryEntryTests {
    @Test func registryIsCompleteAndLooksUpByIdOrFolderName() {
        let ids = Set(KnownModels.all.map(\.id))
        for id in [
            "sentence-transformers/all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L12-v2", "sentence-transformers/all-mpnet-base-v2",
            "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", "BAAI/bge-small-en-v1.5", "BAAI/bge-base-en-v1.5",
            "intfloat/e5-small-v2", "intfloat/multilingual-e5-small", "thenlper/gte-small", "nomic-ai/nomic-embed-text-v1.5",
        ] {
            #expect(ids.contains(id), "registry lacks \(id)")
        }
        #expect(ids.count == KnownModels.all.count, "ids are unique")
        #expect(KnownModels.entry(for: "baai/BGE-small-en-v1.5")?.pooling == .cls)
        #expect(KnownModels.entry(for: "all-MiniLM-L6-v2")?.id == "sentence-transformers/all-MiniLM-L6-v2")
        #expect(KnownModels.entry(for: "my-own-model") == nil)
        for model in KnownModels.all {
            #expect(!model.sources.isEmpty, "\(model.id) names its sources")
            #expect(model.dimension > 0 && model.maxLength > 0)
        }
        if case .unsupported = KnownModels.entry(for: "nomic-ai/nomic-embed-text-v1.5")?.support {} else {
            Issue.record("nomic-embed-text-v1.5 (NomicBert, custom code) is marked as not supported")
        }
    }
}
