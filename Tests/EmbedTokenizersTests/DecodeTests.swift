import EmbedTestSupport
import Foundation
import Testing

@testable import EmbedTokenizers

/// `Tokenizer.decode` against Hugging Face `tokenizers` 0.23.3's `Tokenizer.decode` on the
/// all-MiniLM-L6-v2 tokenizer (WordPiece decoder, `##`, cleanup on); the expected strings
/// were printed by that library for these ids.
struct DecodeTests {
    static func miniLM() throws -> Tokenizer {
        try Tokenizer(contentsOf: TestPaths.fixture("tokenizers/all-MiniLM-L6-v2/tokenizer.json"))
    }

    static let cases: [(ids: [Int], skip: Bool, text: String)] = [
        ([101, 7592, 1010, 2088, 999, 1045, 2123, 1005, 1056, 2228, 2009, 1005, 1055, 1000, 23653, 1000, 1010, 3475,
          1005, 1056, 2009, 1029, 102], true,
         #"hello, world! i don ' t think it ' s " unbelievable ", isn ' t it?"#),
        ([101, 7592, 1010, 2088, 999, 1045, 2123, 1005, 1056, 2228, 2009, 1005, 1055, 1000, 23653, 1000, 1010, 3475,
          1005, 1056, 2009, 1029, 102], false,
         #"[CLS] hello, world! i don ' t think it ' s " unbelievable ", isn ' t it? [SEP]"#),
        ([101, 7861, 8270, 4667, 2015, 2024, 2307, 1012, 1864, 1876, 1950, 7668, 102], true,
         "embeddings are great. 日 本 語 cafe"),
        ([2023, 1005, 1049, 1037, 1005, 2310, 1005, 2128], true, "this ' m a ' ve ' re"),
        ([1001, 2075, 7592], true, "#ing hello"),
        ([2075, 7592], true, "##ing hello"),
        ([100, 7592], true, "hello"),
        ([101, 102], true, ""),
        ([], true, ""),
    ]

    @Test func decodesAsTokenizersDoes() throws {
        let tokenizer = try Self.miniLM()
        #expect(tokenizer.decodeUnsupportedReason == nil)
        for (ids, skip, text) in Self.cases {
            #expect(try tokenizer.decode(ids, skipSpecialTokens: skip) == text, "ids \(ids), skip \(skip)")
        }
    }

    @Test func roundTripsLowercasedText() throws {
        let tokenizer = try Self.miniLM()
        let ids = tokenizer.encode("Swift embeddings, locally!").ids
        #expect(try tokenizer.decode(ids) == "swift embeddings, locally!")
    }

    @Test func unknownIdIsRefusedByIndex() throws {
        let tokenizer = try Self.miniLM()
        #expect(throws: TokenizerError(.invalidArgument, "id 30522 at index 1 is not in the vocabulary (30522 ids)")) {
            try tokenizer.decode([7592, 30522])
        }
    }

    /// With a decoder that is not implemented the tokenizer loads and encodes, and decoding
    /// says which decoder; without a decoder the tokens are joined with spaces, as
    /// `tokenizers` does.
    @Test func decoderChoice() throws {
        let wordPiece = ###""decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true}"###
        func tokenizer(_ decoder: String) throws -> Tokenizer {
            let json = String(decoding: ConfigurationTests.json(), as: UTF8.self).replacing(wordPiece, with: decoder)
            return try Tokenizer(data: Data(json.utf8))
        }
        let byteLevel = try tokenizer(###""decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true}"###)
        #expect(byteLevel.encode("hello").ids == [2, 4, 3])
        #expect(byteLevel.decodeUnsupportedReason == "decoding with the ByteLevel decoder of tokenizer.json is not implemented")
        #expect(throws: TokenizerError(.unsupportedComponent, "decoding with the ByteLevel decoder of tokenizer.json is not implemented")) {
            try byteLevel.decode([4])
        }
        let extraOption = try tokenizer(###""decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true, "fancy": 1}"###)
        #expect(extraOption.decodeUnsupportedReason == "decoding with the WordPiece with fancy decoder of tokenizer.json is not implemented")
        let none = try tokenizer(###""decoder": null"###)
        #expect(try none.decode([2, 4, 6, 5]) == "hello ##s world")
        let noCleanup = try tokenizer(###""decoder": {"type": "WordPiece", "prefix": "##", "cleanup": false}"###)
        #expect(try noCleanup.decode([2, 4, 6, 5], skipSpecialTokens: false) == "[CLS] hellos world")
    }
}
