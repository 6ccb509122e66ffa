// Single-thread tokenization throughput of EmbedTokenizers, the counterpart of
// bench/tokenize_bench.py (run both with bench/tokenize_bench.sh; not part of the package).
//
//     tokenizer-bench <tokenizer.json> <texts.txt> [limit] [rounds]
//
// Each round encodes every text once with special tokens, no truncation, no padding.
// Prints texts/s and tokens/s of the best round and the total number of tokens.

import EmbedTokenizers
import Foundation

@main
struct TokenizerBench {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 3 else {
            print("usage: tokenizer-bench <tokenizer.json> <texts.txt> [limit] [rounds]")
            return
        }
        let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: arguments[1]))
        let limit = arguments.count > 3 ? Int(arguments[3]) ?? 2000 : 2000
        let rounds = arguments.count > 4 ? Int(arguments[4]) ?? 5 : 5
        let texts = try String(contentsOfFile: arguments[2], encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).prefix(limit).map(String.init)
        var tokens = 0
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            var count = 0
            for text in texts { count += tokenizer.encode(text).count }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, seconds)
            tokens = count
        }
        let rate = Double(texts.count) / best
        let tokenRate = Double(tokens) / best / 1e6
        print(String(format: "swift  encode       %10.0f texts/s %7.2f M tokens/s (%d texts, %d tokens, best of %d)",
                     rate, tokenRate, texts.count, tokens, rounds))
    }
}
