import EmbedCore
import EmbedEngine
import EmbedOpenVINO
import EmbedORT
import EmbedServer
import Foundation
import Logging

extension SettingKey {
    /// Every key, in documentation order: each concern's keys come from its own file.
    static var all: [SettingKey] {
        modelKeys + serverKeys + fusionKeys + imageURLKeys + cacheKeys + toolchainKeys
    }

    /// The model, its runtime, batching, pooling, prompts, the hub, images and logging.
    static var modelKeys: [SettingKey] {
        [
            optionalString("model", \.model, help: "A model folder, a single .onnx file or a hub model id (owner/name)."),
            string("revision", \.revision, help: "The hub revision of a model id: branch, tag or commit."),
            optionalString("tokenizer", \.tokenizer, help: "The tokenizer.json of a single .onnx file (default: the one next to it)."),
            bool("onnx.enabled", \.onnx.enabled, help: "Run the model with ONNX Runtime; false uses the hashing engine (no model, other vector space)."),
            optionalChoice("runtime", \.runtime, EmbedderConfiguration.Runtime.allCases, name: \.rawValue, help: "The runtime of the ONNX model: onnxruntime; openvino (CPU; quantized models stay on ONNX Runtime; falls back to ONNX Runtime, logged, when fallback has onnxruntime); or auto (measured once per model and machine, then cached: ONNX Runtime f32, OpenVINO f32 or bf16, the fastest at ≥ 1.05× keeping cosine ≥ 0.9999 against ONNX Runtime; embed bench --calibrate measures again). Default: onnxruntime; auto for embed serve."),
            choice("openvino.precision", \.openVINO.precision, OpenVINOConfiguration.Precision.allCases, name: \.rawValue, help: "runtime openvino: the precision it computes in, always set explicitly: f32 (ONNX Runtime's vectors) or bf16 (CPUs with native bf16 only; about 2× f32 there, cosine ≥ 0.9999)."),
            choice("openvino.hint", \.openVINO.performanceHint, OVCompileOptions.PerformanceHint.allCases, name: { $0.rawValue.lowercased() }, help: "runtime openvino: OpenVINO's performance hint."),
            optionalString("openvino.library_path", \.openVINO.libraryPath, help: "runtime openvino: libopenvino_c, a file or a folder (default: OPENVINO_LIB_PATH, the project's .cache/openvino/lib, the system)."),
            bool("openvino.model_cache", \.openVINO.modelCache, help: "runtime openvino: keep OpenVINO's compiled models between runs (start to first embedding 0.24 s instead of 0.50 s on all-MiniLM-L6-v2). Entries are not pruned: delete the folder to reclaim the space."),
            optionalString("openvino.cache_dir", \.openVINO.cacheDir, help: "runtime openvino: where the compiled models are kept (default: openvino/ beside onnx.optimized_cache_dir's default, ~/.cache/swift-embed/openvino)."),
            providers,
            optionalString("onnx.library_path", \.onnx.libraryPath, help: "The ONNX Runtime library, a file or a folder (default: ORT_DYLIB_PATH, the project's .cache, the system)."),
            optionalString("onnx.model_path", \.onnx.modelPath, help: "The ONNX file inside the model folder, e.g. onnx/model_O4.onnx (default: chosen by onnx.variant)."),
            choice("onnx.variant", \.onnx.variant, Settings.VariantName.allCases, name: \.rawValue, help: "Which ONNX file: fp32 (onnx/model.onnx, model.onnx), quantized (onnx/model_quantized.onnx, model_int8, model_qint8_*…), fp16, or auto (fp32, or quantized when onnx.quantized is true and there is one)."),
            optionalBool("onnx.quantized", \.onnx.quantized, help: "With onnx.variant auto: prefer a quantized file when the model has one."),
            int("onnx.intra_op_num_threads", \.onnx.intraOpNumThreads, min: 0, help: "Threads inside one operator; 0: ONNX Runtime's choice (one per physical core)."),
            int("onnx.inter_op_num_threads", \.onnx.interOpNumThreads, min: 0, help: "Threads across operators (parallel execution mode only); 0: ONNX Runtime's choice."),
            choice("onnx.graph_optimization_level", \.onnx.graphOptimizationLevel, ORTSessionOptions.GraphOptimizationLevel.allCases, name: \.description, help: "Graph optimisations applied when the session is created."),
            choice("onnx.execution_mode", \.onnx.executionMode, ORTSessionOptions.ExecutionMode.allCases, name: { $0 == .sequential ? "sequential" : "parallel" }, help: "Run operators one after the other or in parallel."),
            bool("onnx.optimized_cache", \.onnx.optimizedCache, help: "Keep ONNX Runtime's optimised graph of each model (CPU sessions), with its weights in a file ONNX Runtime maps instead of copying: later starts are faster and use less memory. A changed model or runtime gets a new entry; the entries of a model file that changed or was deleted are removed."),
            optionalString("onnx.optimized_cache_dir", \.onnx.optimizedCacheDir, help: "Where the optimised graphs are kept (default: $XDG_CACHE_HOME/swift-embed/optimized, else ~/.cache/swift-embed/optimized)."),
            optionalBool("onnx.memory_arena", \.onnx.memoryArena, help: "ONNX Runtime's CPU memory arena and memory patterns (default: on; off for embed serve, where batches of ever-changing shapes make them grow)."),
            optionalBool("onnx.spinning", \.onnx.spinning, help: "Let ONNX Runtime's threads spin between runs (default: on; off for embed serve, where spinning takes CPU from the event loops and the tokenizer)."),
            int("batch.max_size", \.batch.maxSize, min: 1, help: "The most texts per model run; larger inputs are split."),
            bool("batch.sort_by_length", \.batch.sortByLength, help: "Group texts of similar length into batches (less padding; output order unchanged)."),
            int("batch.max_tokens", \.batch.maxTokens, min: 1, help: "The most padded tokens (texts × longest) in one model run; long texts go in smaller batches (the default was measured fastest on a CPU, offline and in embed serve; an input longer than this runs alone)."),
            optionalInt("batch.workers", \.batch.workers, min: 1, help: "Model runs at once (1…\(BatchingConfiguration.maxWorkers)), each on its own thread, with as many tokenization threads, offline and in the server (pair with onnx.intra_op_num_threads = cores ÷ workers). Default: \(Settings.workersDefault) (measured +21% requests/s at 64 connections, at a higher peak memory)."),
            optionalInt("max_length", \.maxLength, min: 1, help: "Maximum tokens per text, special tokens included; longer texts are truncated (default: the model's)."),
            optionalBool("normalize", \.normalize, help: "L2-normalise vectors (default: as the model's modules.json says; true for a bare .onnx file)."),
            optionalChoice("pooling", \.pooling, Pooling.Mode.allCases, name: \.rawValue, help: "Pooling instead of the model's 1_Pooling/config.json."),
            optionalString("prompt_name", \.promptName, help: "The prompt, by name (one of the model's prompts, e.g. query or passage; see `embed inspect`), put before texts that choose none (default: the model's default_prompt_name, if any)."),
            prompt,
            bool("registry", \.registry, help: "Let the built-in registry of known models (`embed models`) fill what a known model's own files do not say (e.g. BGE's query prompt); each value taken is logged."),
            string("cache_dir", \.cacheDir, help: "The hub cache folder, shared with the Hugging Face tools (default: HF_HUB_CACHE, HF_HOME/hub, ~/.cache/huggingface/hub)."),
            bool("offline", \.offline, help: "Use the hub cache only, never the network (also HF_HUB_OFFLINE=1)."),
            endpoint,
            token,
            fallback,
            int("hashing.dimension", \.hashing.dimension, min: 1, help: "The size of the hashing engine's vectors."),
            int("images.max_bytes", \.images.maxBytes, min: 1, help: "The largest encoded image accepted, in bytes (models with a vision tower, such as CLIP)."),
            int("images.max_pixels", \.images.maxPixels, min: 1, help: "The most pixels (width × height) an image may declare; larger ones (decompression bombs) are refused before decoding."),
            bool("images.exif_orientation", \.images.exifOrientation, help: "Apply the EXIF orientation of images (photos upright); transformers' CLIP processor does not."),
            optionalChoice("log_level", \.logLevel, Logger.Level.allCases, name: \.rawValue, help: "Log level; logs go to standard error (default: warning; info for embed serve, one line per request)."),
            choice("log_format", \.logFormat, LogFormat.allCases, name: \.rawValue, help: "How log lines are written to standard error: text, or json (one object per line: timestamp, level, label, message and the metadata, e.g. a request's method, path, route and status)."),
        ]
    }

    /// `embed convert` and `embed quantize`.
    static var toolchainKeys: [SettingKey] {
        [
            optionalString("toolchain.python", \.toolchain.python, help: "The Python that `embed convert` and `embed quantize` run (it needs scripts/requirements.txt: torch, transformers, sentence-transformers, onnx, onnxruntime); default: .cache/venv/bin/python of the swift-embed checkout (EMBED_SETUP_DIR/venv when set), found from the current folder or the executable's."),
            optionalString("toolchain.scripts", \.toolchain.scripts, help: "The folder with convert_model.py and quantize_model.py; default: scripts/ of the swift-embed checkout, found from the current folder or the executable's."),
        ]
    }
}
