/// The texts `runtime: auto` measures with: fixed (the same on every machine), in the mix
/// of lengths a search service sees — short queries, sentences and a few long passages —
/// so that both the small-batch and the long-sequence costs of a runtime count.
enum CalibrationTexts {
    /// 16 queries of 4–8 words, 24 sentences of 15–30 and 8 passages of 120–180.
    static let all: [String] = {
        var generator = Generator(state: 0x5EED_CA1B)
        let queries = (0..<16).map { _ in generator.text(words: 4 + generator.next(5)) }
        let sentences = (0..<24).map { _ in generator.text(words: 15 + generator.next(16)) }
        let passages = (0..<8).map { _ in generator.text(words: 120 + generator.next(61)) }
        return queries + sentences + passages
    }()

    private static let words = [
        "the", "a", "model", "search", "vector", "index", "query", "document", "server", "fast", "quality", "cosine",
        "language", "embedding", "request", "batch", "memory", "thread", "machine", "result", "river", "mountain",
        "city", "market", "price", "weather", "history", "music", "science", "health", "travel", "recipe", "garden",
        "library", "station", "morning", "evening", "report", "question", "answer", "network", "storage", "cluster",
        "replica", "cache", "latency", "throughput", "précis", "naïve", "café", "2026", "42", "is", "was", "and",
        "of", "in", "to", "with", "for", "on", "runs", "finds", "reads", "writes", "keeps", "shows", "measures",
    ]

    /// A linear congruential generator: the same texts everywhere, without Foundation.
    private struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }

        mutating func text(words count: Int) -> String {
            var text = ""
            for index in 0..<count {
                let word = CalibrationTexts.words[next(CalibrationTexts.words.count)]
                text += index == 0 ? word.prefix(1).uppercased() + word.dropFirst() : " " + word
                if index % 11 == 10 { text += "," }
            }
            return text + "."
        }
    }
}
