import EmbedTestSupport
import EmbedTokenizers
import Foundation
import Testing

/// Compares our tokenizer with Hugging Face `tokenizers` on the tokenizers trained by
/// `scripts/make_tokenizer_fixtures.py` (one of every type): every id, type id,
/// special-token mask value and offset must match, for single texts, pairs, truncations
/// (including the ones Python refuses) and padded batches.
struct FixtureGoldenTests {
    static let fixtures = [
        "unigram-metaspace", "spm-xlmr", "bpe-roberta", "bpe-prefix-space", "bpe-qwen", "bpe-clip", "bpe-llama",
        "wordpiece-mixed",
    ]

    struct Expected: Decodable {
        var ids: [Int]?
        var offsets: [Int]?
        var special: [Int]?
        var types: [Int]?
        var mask: [Int]?
        var error: String?
    }

    struct Case: Decodable {
        var text: String
        var pair: String?
        var add_special_tokens: Bool?
        var truncation: TruncationParameters?
        var expected: Expected

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            text = try container.decode(String.self, forKey: .text)
            pair = try container.decodeIfPresent(String.self, forKey: .pair)
            add_special_tokens = try container.decodeIfPresent(Bool.self, forKey: .add_special_tokens)
            truncation = try container.decodeIfPresent(TruncationParameters.self, forKey: .truncation)
            expected = try Expected(from: decoder)
        }

        enum CodingKeys: String, CodingKey { case text, pair, add_special_tokens, truncation }
    }

    struct TruncationParameters: Decodable {
        var max_length: Int
        var direction: String
        var strategy: String

        var value: Truncation {
            let strategies: [String: Truncation.Strategy] = [
                "longest_first": .longestFirst, "only_first": .onlyFirst, "only_second": .onlySecond,
            ]
            return Truncation(
                maxLength: max_length, direction: direction == "left" ? .left : .right,
                strategy: strategies[strategy] ?? .longestFirst)
        }
    }

    struct Batch: Decodable {
        var texts: [String]
        var max_length: Int
        var padding: PaddingParameters
        var encodings: [Expected]
    }

    struct PaddingParameters: Decodable {
        var strategy: String
        var direction: String
        var length: Int?
        var multiple_of: Int?
        var pad_id: Int
        var pad_token: String

        var value: Padding {
            Padding(
                strategy: strategy == "fixed" ? .fixed(length ?? 0) : .batchLongest,
                direction: direction == "left" ? .left : .right, padToMultipleOf: multiple_of, padId: pad_id,
                padToken: pad_token)
        }
    }

    struct Golden: Decodable {
        var tokenizers_version: String
        var cases: [Case]
        var batches: [Batch]
    }

    static func load(_ name: String) throws -> (Tokenizer, Golden) {
        let tokenizer = try Tokenizer(contentsOf: TestPaths.fixture("tokenizers/\(name)/tokenizer.json"))
        let data = try Data(contentsOf: TestPaths.fixture("tokenizers/\(name).golden.json"))
        return (tokenizer, try JSONDecoder().decode(Golden.self, from: data))
    }

    /// The first difference between an encoding and the expected one, described.
    static func difference(_ encoding: Encoding, _ expected: Expected) -> String? {
        let count = encoding.count
        let special = encoding.specialTokensMask.enumerated().filter { $0.element == 1 }.map(\.offset)
        let checks: [(String, [Int], [Int])] = [
            ("ids", encoding.ids, expected.ids ?? []),
            ("type_ids", encoding.typeIds, expected.types ?? [Int](repeating: 0, count: expected.ids?.count ?? 0)),
            ("special_tokens_mask (indices of 1)", special, expected.special ?? []),
            ("attention_mask", encoding.attentionMask, expected.mask ?? [Int](repeating: 1, count: count)),
            ("offsets (flat)", encoding.offsets.flatMap { [$0.lowerBound, $0.upperBound] }, expected.offsets ?? []),
        ]
        for (name, actual, wanted) in checks where actual != wanted {
            let index = zip(actual, wanted).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(actual.count, wanted.count)
            let window = max(0, index - 3)..<(index + 4)
            return "\(name) differ at \(index) (ours \(actual.count) values, tokenizers \(wanted.count)): "
                + "ours \(Array(actual[window.clamped(to: 0..<actual.count)])), "
                + "tokenizers \(Array(wanted[window.clamped(to: 0..<wanted.count)]))"
        }
        return nil
    }

    static func label(_ text: String) -> String {
        let escaped = text.unicodeScalars.prefix(50).map {
            $0.isASCII && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16, uppercase: true))}"
        }
        return "\"" + escaped.joined() + (text.unicodeScalars.count > 50 ? "…" : "") + "\""
    }

    @Test(arguments: fixtures)
    func encodingsMatch(fixture: String) throws {
        let (tokenizer, golden) = try Self.load(fixture)
        #expect(golden.cases.count > 1000, "golden file too small: run scripts/make_tokenizer_fixtures.py")
        var failures = 0
        for testCase in golden.cases {
            let add = testCase.add_special_tokens ?? true
            var description = Self.label(testCase.text)
            if let pair = testCase.pair { description += " + " + Self.label(pair) }
            if let truncation = testCase.truncation {
                description += " truncated \(truncation.max_length) \(truncation.direction) \(truncation.strategy)"
            }
            if !add { description += " without special tokens" }
            let problem: String?
            do {
                let encoding: Encoding
                if testCase.pair != nil || testCase.truncation != nil {
                    encoding = try tokenizer.encode(
                        testCase.text, pair: testCase.pair, addSpecialTokens: add, truncation: testCase.truncation?.value)
                } else {
                    encoding = tokenizer.encode(testCase.text, addSpecialTokens: add)
                }
                problem = testCase.expected.error.map { "tokenizers raised '\($0)', we did not" }
                    ?? Self.difference(encoding, testCase.expected)
            } catch {
                problem = testCase.expected.error == nil ? "we threw '\(error)', tokenizers did not" : nil
            }
            if let problem {
                failures += 1
                if failures <= 12 { Issue.record("\(fixture): \(description): \(problem)") }
            }
        }
        #expect(failures == 0, "\(fixture): \(failures) of \(golden.cases.count) cases differ")
    }

    @Test(arguments: fixtures)
    func paddedBatchesMatch(fixture: String) throws {
        let (tokenizer, golden) = try Self.load(fixture)
        #expect(!golden.batches.isEmpty)
        for batch in golden.batches {
            let encodings = tokenizer.encodeBatch(
                batch.texts, truncation: Truncation(maxLength: batch.max_length), padding: batch.padding.value)
            #expect(encodings.count == batch.encodings.count)
            for (index, (encoding, expected)) in zip(encodings, batch.encodings).enumerated() {
                if let problem = Self.difference(encoding, expected) {
                    Issue.record("\(fixture): batch \(batch.padding) #\(index) \(Self.label(batch.texts[index])): \(problem)")
                }
            }
        }
    }

    /// The single-text API and the pair API without a pair agree.
    @Test(arguments: fixtures)
    func singleAndPairAPIsAgree(fixture: String) throws {
        let (tokenizer, golden) = try Self.load(fixture)
        for testCase in golden.cases.prefix(200) where testCase.pair == nil && testCase.truncation == nil {
            let add = testCase.add_special_tokens ?? true
            #expect(
                tokenizer.encode(testCase.text, addSpecialTokens: add)
                    == (try tokenizer.encode(testCase.text, pair: nil, addSpecialTokens: add)),
                "\(fixture): \(Self.label(testCase.text))")
        }
    }
}
