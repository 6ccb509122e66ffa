import EmbedCore
import EmbedEngine
import EmbedORT
import Foundation

/// Compares a model folder's fp32 ONNX file with a variant (int8, fp16) through the engine:
/// quality (cosine to fp32), retrieval on query/document pairs, and speed.
struct QuantizationCheck {
    var folder: URL
    var variantFile: String
    var prepared: ModelOptions.Prepared
    var options: ToolchainOptions
    var checkTexts: [String]
    var pairs: [(query: String, document: String)]
    var speedTexts: [String]?

    struct Speed {
        /// Texts per second, batches of 32 (best round).
        var throughput: Double
        /// Median milliseconds for one short text.
        var latencyP50: Double
    }

    struct Report {
        var variantFile: String
        var variantBytes: Int64
        var fp32Bytes: Int64
        var recipe: String
        var checkTexts: [String]
        var quality: CosineSummary
        var retrieval: (fp32: RetrievalScores, variant: RetrievalScores)?
        var speed: (fp32: Speed, variant: Speed, texts: Int)
    }

    func run() async throws -> Report {
        let fp32 = try await embedder("onnx/model.onnx")
        let variant = try await embedder(variantFile)
        let quality = try CosineSummary(try await variant.embed(checkTexts), try await fp32.embed(checkTexts))
        var retrieval: (fp32: RetrievalScores, variant: RetrievalScores)?
        if pairs.count >= 2 {
            retrieval = (try await Self.retrieval(fp32, pairs), try await Self.retrieval(variant, pairs))
        }
        let texts = speedTexts.flatMap { $0.isEmpty ? nil : $0 } ?? checkTexts
        let short = Array(texts.filter { $0.split(separator: " ").count < 16 }.prefix(50))
        var speeds = [Speed(throughput: 0, latencyP50: .infinity), Speed(throughput: 0, latencyP50: .infinity)]
        for _ in 0..<3 {  // alternated, so that other load on the machine hits both alike
            for (index, embedder) in [fp32, variant].enumerated() {
                let round = try await Self.speed(embedder, texts: texts, short: short.isEmpty ? Array(texts.prefix(20)) : short)
                speeds[index].throughput = max(speeds[index].throughput, round.throughput)
                speeds[index].latencyP50 = min(speeds[index].latencyP50, round.latencyP50)
            }
        }
        let recipe = variant.info.runtime?.metadata.custom["swift-embed.quantization"] ?? "-"
        return Report(
            variantFile: variantFile, variantBytes: variant.info.runtime?.onnxFileSize ?? 0,
            fp32Bytes: fp32.info.runtime?.onnxFileSize ?? 0, recipe: recipe, checkTexts: checkTexts, quality: quality,
            retrieval: retrieval, speed: (speeds[0], speeds[1], texts.count))
    }

    private func embedder(_ onnxFile: String) async throws -> Embedder {
        try await Embedder(
            .folder(folder), configuration: try options.checkConfiguration(prepared, onnxFile: onnxFile), logger: prepared.logger)
    }

    /// Queries against their documents, with the model's query and passage prompts when it has them.
    static func retrieval(_ embedder: Embedder, _ pairs: [(query: String, document: String)]) async throws -> RetrievalScores {
        let prompts = embedder.info.prompts.prompts
        let query: PromptChoice = prompts["query"] != nil ? .named("query") : .automatic
        let document = ["passage", "document"].first { prompts[$0] != nil }.map(PromptChoice.named) ?? .automatic
        let queries = try await embedder.embed(pairs.map(\.query), options: EmbeddingOptions(prompt: query))
        let documents = try await embedder.embed(pairs.map(\.document), options: EmbeddingOptions(prompt: document))
        return try RetrievalScores.evaluate(queries: queries, documents: documents)
    }

    static func speed(_ embedder: Embedder, texts: [String], short: [String]) async throws -> Speed {
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await embedder.embed(texts)
        let seconds = start.duration(to: clock.now).inSeconds
        var latencies: [Double] = []
        for text in short {
            let begin = clock.now
            _ = try await embedder.embed([text])
            latencies.append(begin.duration(to: clock.now).inSeconds * 1000)
        }
        latencies.sort()
        return Speed(throughput: Double(texts.count) / max(seconds, 1e-9), latencyP50: latencies[latencies.count / 2])
    }
}

extension QuantizationCheck.Report {
    /// One screen: what the variant costs in quality and gains in speed.
    func lines(minCosine: Float) -> [String] {
        func megabytes(_ bytes: Int64) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }
        func ratio(_ a: Double, _ b: Double) -> String { String(format: "×%.2f", a / max(b, 1e-9)) }
        var lines = [
            "variant    \(variantFile) (\(megabytes(variantBytes)); fp32 \(megabytes(fp32Bytes)))",
            "recipe     \(recipe)",
            "quality    vs fp32 on \(checkTexts.count) texts: \(quality.describe(texts: checkTexts))",
        ]
        if let retrieval {
            let loss = (retrieval.fp32.mrrAt10 - retrieval.variant.mrrAt10) / max(retrieval.fp32.mrrAt10, 1e-9) * 100
            lines += [
                "retrieval  \(retrieval.fp32.count) query → document pairs   recall@1  recall@10  MRR@10",
                String(format: "             fp32                          %7.3f   %7.3f   %7.4f", retrieval.fp32.recallAt1,
                       retrieval.fp32.recallAt10, retrieval.fp32.mrrAt10),
                String(format: "             variant                       %7.3f   %7.3f   %7.4f   (MRR@10 %+.2f%% relative)",
                       retrieval.variant.recallAt1, retrieval.variant.recallAt10, retrieval.variant.mrrAt10, -loss),
            ]
        } else {
            lines.append("retrieval  skipped: no query/document pairs (run `make corpus`, or pass --pairs)")
        }
        lines += [
            String(format: "speed      batches of 32 over %d texts: fp32 %.1f texts/s, variant %.1f texts/s (speed %@)", speed.texts,
                   speed.fp32.throughput, speed.variant.throughput, ratio(speed.variant.throughput, speed.fp32.throughput)),
            String(format: "           one short text, p50: fp32 %.2f ms, variant %.2f ms (speed %@)", speed.fp32.latencyP50,
                   speed.variant.latencyP50, ratio(speed.fp32.latencyP50, speed.variant.latencyP50)),
        ]
        let passed = quality.mean >= minCosine
        lines.append(
            "result     \(passed ? "passed" : "FAILED"): mean cosine \(CosineSummary.format(quality.mean)) \(passed ? "≥" : "<") \(minCosine)")
        return lines
    }
}
