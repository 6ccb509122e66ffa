import EmbedTestSupport
import EmbedTokenizers
import Foundation
import Testing

/// Compares our tokenizer with Hugging Face `tokenizers` on the golden file made by
/// `scripts/make_tokenizer_golden.py`: every id, type id, mask value and offset must match.
struct GoldenTests {
    struct Record: Decodable {
        var text: String?
        var max_length: Int?
        var direction: String?
        var ids: [Int]
        var type_ids: [Int]
        var attention_mask: [Int]
        var special_tokens_mask: [Int]
        var offsets: [[Int]]
    }

    struct Batch: Decodable {
        var texts: [String]
        var max_length: Int
        var padding: String
        var encodings: [Record]
    }

    struct Golden: Decodable {
        var tokenizers_version: String
        var plain: [Record]
        var no_special: [Record]
        var truncated: [Record]
        var batches: [Batch]
    }

    static let golden: Golden = {
        let url = TestPaths.fixture("tokenizers/all-MiniLM-L6-v2.golden.json")
        // A missing or broken fixture is a test failure, reported by `fixturesLoad`.
        guard let data = try? Data(contentsOf: url), let golden = try? JSONDecoder().decode(Golden.self, from: data)
        else { return Golden(tokenizers_version: "missing", plain: [], no_special: [], truncated: [], batches: []) }
        return golden
    }()

    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try Tokenizer(contentsOf: TestPaths.fixture("tokenizers/all-MiniLM-L6-v2/tokenizer.json"))
    }

    @Test func fixturesLoad() {
        #expect(Self.golden.plain.count >= 300, "golden file missing or too small: run scripts/make_tokenizer_golden.py")
        #expect(Self.golden.batches.count > 0)
    }

    /// Compares and returns a description of the first difference, if any.
    func difference(_ encoding: Encoding, _ expected: Record) -> String? {
        let offsets = encoding.offsets.map { [$0.lowerBound, $0.upperBound] }
        for (name, actual, wanted) in [
            ("ids", encoding.ids, expected.ids), ("type_ids", encoding.typeIds, expected.type_ids),
            ("attention_mask", encoding.attentionMask, expected.attention_mask),
            ("special_tokens_mask", encoding.specialTokensMask, expected.special_tokens_mask),
        ] where actual != wanted {
            let index = Array(zip(actual, wanted)).firstIndex { $0 != $1 } ?? min(actual.count, wanted.count)
            return "\(name) differ at \(index): ours \(actual.count) values \(Array(actual.prefix(index + 3).suffix(6))), "
                + "tokenizers \(wanted.count) values \(Array(wanted.prefix(index + 3).suffix(6)))"
        }
        if offsets != expected.offsets {
            let index = Array(zip(offsets, expected.offsets)).firstIndex { $0 != $1 } ?? min(offsets.count, expected.offsets.count)
            return "offsets differ at \(index): ours \(offsets.dropFirst(index).first ?? []), "
                + "tokenizers \(expected.offsets.dropFirst(index).first ?? [])"
        }
        return nil
    }

    func check(_ cases: [(String, Encoding, Record)]) -> Int {
        var mismatches = 0
        for (label, encoding, expected) in cases {
            guard let difference = difference(encoding, expected) else { continue }
            mismatches += 1
            if mismatches <= 15 { Issue.record("\(label): \(difference)") }
        }
        return mismatches
    }

    static func label(_ text: String) -> String {
        let escaped = text.unicodeScalars.prefix(60).map { $0.isASCII && $0.value >= 0x20 ? String($0) : String(format: "\\u{%X}", $0.value) }
        return "\"" + escaped.joined() + (text.unicodeScalars.count > 60 ? "…" : "") + "\""
    }

    @Test func plainEncodingsMatch() {
        let cases = Self.golden.plain.map { record in
            (Self.label(record.text!), tokenizer.encode(record.text!), record)
        }
        #expect(check(cases) == 0, "of \(cases.count) strings")
    }

    @Test func encodingsWithoutSpecialTokensMatch() {
        let cases = Self.golden.no_special.map { record in
            (Self.label(record.text!), tokenizer.encode(record.text!, addSpecialTokens: false), record)
        }
        #expect(check(cases) == 0, "of \(cases.count) strings")
    }

    @Test func truncatedEncodingsMatch() {
        let cases = Self.golden.truncated.map { record in
            let truncation = Truncation(maxLength: record.max_length!, direction: record.direction == "left" ? .left : .right)
            return ("\(Self.label(record.text!)) max \(record.max_length!) \(record.direction!)",
                    tokenizer.encode(record.text!, truncation: truncation), record)
        }
        #expect(!cases.isEmpty)
        #expect(check(cases) == 0, "of \(cases.count) truncations")
    }

    @Test func paddedBatchesMatch() {
        var cases: [(String, Encoding, Record)] = []
        for batch in Self.golden.batches {
            let padding = batch.padding == "batch_longest"
                ? Padding() : Padding(strategy: .fixed(20), padToMultipleOf: 8)
            let encodings = tokenizer.encodeBatch(
                batch.texts, truncation: Truncation(maxLength: batch.max_length), padding: padding)
            #expect(encodings.count == batch.encodings.count)
            for (index, (encoding, expected)) in zip(encodings, batch.encodings).enumerated() {
                cases.append(("batch \(batch.padding) #\(index) \(Self.label(batch.texts[index]))", encoding, expected))
            }
        }
        #expect(check(cases) == 0, "of \(cases.count) padded encodings")
    }
}
