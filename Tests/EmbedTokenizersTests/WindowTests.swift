import EmbedTestSupport
@testable import EmbedTokenizers
import Foundation
import Testing

/// A very long text with truncation is tokenized from a window of it (bounded work and
/// memory); the kept tokens must be exactly those of the whole text, cut: same ids, type
/// ids, special-token mask and offsets, on every tokenizer type and both directions.
struct WindowTests {
    static let tokenizers = [
        "all-MiniLM-L6-v2", "unigram-metaspace", "spm-xlmr", "bpe-roberta", "bpe-prefix-space", "bpe-qwen", "bpe-clip",
        "bpe-llama", "wordpiece-mixed",
    ]

    /// Texts past the window threshold, each made to trouble a cut: plain prose; a flood of
    /// whitespace before the words; a word longer than WordPiece's word limit across the
    /// cut; no whitespace at all (CJK); combining marks and emoji joiners everywhere.
    static func texts() -> [(String, String)] {
        let prose = "The quick brown fox, jumping over 13 lazy dogs; naïve café owners wave. "
        let longWord = String(repeating: "abcdefghij", count: 3_000)
        return [
            ("prose", String(repeating: prose, count: 600)),
            ("whitespace flood", String(repeating: " \n\t", count: 20_000) + String(repeating: prose, count: 300)),
            ("long word", String(repeating: prose, count: 3) + longWord + " " + String(repeating: prose, count: 300)),
            ("no whitespace", String(repeating: "東京都の天気は晴れ。日本語の文章です", count: 2_000)),
            ("combining marks", String(repeating: "e\u{301}a\u{308}\u{323} ", count: 8_000)),
            ("emoji joiners", String(repeating: "👩\u{200D}💻👍🏽 ok ", count: 5_000)),
        ]
    }

    @Test(arguments: tokenizers)
    func windowedTokensAreTheWholeTextsCut(_ name: String) throws {
        let tokenizer = try Tokenizer(contentsOf: TestPaths.fixture("tokenizers/\(name)/tokenizer.json"))
        for (label, text) in Self.texts() {
            for direction in [Truncation.Direction.right, .left] {
                for maxLength in [8, 512] {
                    let truncation = Truncation(maxLength: maxLength, direction: direction)
                    let cut = tokenizer.encode(text, truncation: truncation)
                    let expected = tokenizer.encode(text, addSpecialTokens: true, truncation: truncation, windowed: false)
                    let context = "\(name), \(label), \(direction) \(maxLength)"
                    // Compared as Bools: a failure would otherwise print thousands of offsets.
                    #expect(Bool(cut.ids == expected.ids), "ids: \(context)")
                    #expect(Bool(cut.offsets == expected.offsets), "offsets: \(context)")
                    #expect(Bool(cut.typeIds == expected.typeIds), "type ids: \(context)")
                    #expect(Bool(cut.specialTokensMask == expected.specialTokensMask), "special mask: \(context)")
                    #expect(cut.ids.count <= maxLength, "at most \(maxLength) tokens: \(context)")
                }
            }
        }
    }

    /// The windows are used (the test above would pass without them): on long texts with
    /// truncation, and not on a text under the threshold.
    @Test func longTextsAreTokenizedFromAWindow() throws {
        let tokenizer = try Tokenizer(contentsOf: TestPaths.fixture("tokenizers/all-MiniLM-L6-v2/tokenizer.json"))
        var scratch = EncodeScratch()
        for (label, text) in Self.texts() {
            for direction in [Truncation.Direction.right, .left] {
                let window = tokenizer.windowedSequence(text, budget: 254, direction: direction, typeId: 0, scratch: &scratch)
                // Where the first 254 tokens lie past half the text (after the whitespace flood
                // or the word of 30,000 letters), no window proves itself: the whole text is used.
                let provable = direction == .left || !["whitespace flood", "long word"].contains(label)
                #expect(window?.count == (provable ? 254 : nil), "\(label), \(direction)")
            }
        }
        let short = String(repeating: "short text ", count: 100)
        #expect(tokenizer.windowedSequence(short, budget: 254, direction: .right, typeId: 0, scratch: &scratch) == nil)
    }
}
