import EmbedTestSupport
import Foundation
import Testing

@testable import EmbedTokenizers

/// Loading `tokenizer.json`: strict parsing, clear errors.
struct ConfigurationTests {
    /// A minimal WordPiece tokenizer.json with the given parts replaced.
    static func json(
        normalizer: String = #"{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true}"#,
        preTokenizer: String = #"{"type": "BertPreTokenizer"}"#,
        postProcessor: String = #"{"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}"#,
        model: String = ###"{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "hello": 4, "world": 5, "##s": 6}}"###,
        addedTokens: String = #"[{"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}]"#,
        extra: String = ""
    ) -> Data {
        Data("""
            {"version": "1.0", "truncation": null, "padding": null, "added_tokens": \(addedTokens),
             "normalizer": \(normalizer), "pre_tokenizer": \(preTokenizer), "post_processor": \(postProcessor),
             "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true}, "model": \(model)\(extra)}
            """.utf8)
    }

    func error(_ data: Data) -> TokenizerError? {
        do {
            _ = try Tokenizer(data: data)
            Issue.record("expected a TokenizerError")
        } catch {
            return error
        }
        return nil
    }

    @Test func minimalTokenizerEncodes() throws {
        let tokenizer = try Tokenizer(data: Self.json())
        let encoding = tokenizer.encode("Hello worlds!")
        #expect(encoding.ids == [2, 4, 5, 6, 1, 3])
        #expect(encoding.offsets == [0..<0, 0..<5, 6..<11, 11..<12, 12..<13, 0..<0])
        #expect(encoding.specialTokensMask == [1, 0, 0, 0, 0, 1])
        #expect(tokenizer.token(forId: 6) == "##s")
        #expect(tokenizer.id(forToken: "world") == 5)
        #expect(tokenizer.specialTokenCount == 2)
        #expect(tokenizer.decodeUnsupportedReason == nil)
        #expect(try tokenizer.decode([2, 4, 6, 5]) == "hellos world")
    }

    @Test(arguments: [
        ("normalizer", #"{"type": "Cyrillic"}"#, "normalizer type 'Cyrillic' is not supported yet"),
        ("pre_tokenizer", #"{"type": "UnicodeScripts"}"#, "pre_tokenizer type 'UnicodeScripts'"),
        ("pre_tokenizer", #"{"type": "FixedLength", "length": 5}"#, "pre_tokenizer type 'FixedLength'"),
        ("post_processor", #"{"type": "Nonexistent"}"#, "post_processor type 'Nonexistent'"),
        ("model", #"{"type": "WordLevel", "vocab": {}, "unk_token": "[UNK]"}"#, "model type 'WordLevel'"),
        ("model", #"{"type": "BPE", "vocab": {"a": 0}, "merges": [], "dropout": 0.1}"#, "dropout 0.1"),
        ("model", #"{"type": "Unigram", "vocab": [["a", -1.0]]}"#, "Unigram without unk_id"),
        ("pre_tokenizer", #"{"type": "Split", "pattern": {"Regex": "(?<=a)b"}, "behavior": "Isolated", "invert": false}"#,
         "'(?<=a)b' uses lookbehind"),
        ("pre_tokenizer", #"{"type": "Split", "pattern": {"Regex": "\\p{Han}+"}, "behavior": "Isolated", "invert": false}"#,
         "the property \\p{Han}"),
        ("pre_tokenizer", #"{"type": "Split", "pattern": {"Regex": "a++"}, "behavior": "Isolated", "invert": false}"#,
         "a possessive quantifier"),
        ("pre_tokenizer", #"{"type": "Split", "pattern": {"Regex": "(?>ab)"}, "behavior": "Isolated", "invert": false}"#,
         "an atomic group"),
        ("pre_tokenizer", #"{"type": "Split", "pattern": {"Regex": "(a)\\1"}, "behavior": "Isolated", "invert": false}"#,
         "the escape '\\1'"),
        ("pre_tokenizer", #"{"type": "Split", "pattern": {"Regex": "[[:alpha:]]"}, "behavior": "Isolated", "invert": false}"#,
         "a POSIX bracket class"),
        ("pre_tokenizer", #"{"type": "Split", "pattern": {"Regex": "(?i:é)"}, "behavior": "Isolated", "invert": false}"#,
         "case-insensitive matching of non-ASCII text"),
        ("pre_tokenizer", #"{"type": "Split", "pattern": {"Regex": "a(?=bc)"}, "behavior": "Isolated", "invert": false}"#,
         "a lookahead that is not a single character class"),
        ("pre_tokenizer", #"{"type": "Split", "pattern": {"String": ""}, "behavior": "Isolated", "invert": false}"#,
         "an empty String pattern"),
    ])
    func unsupportedComponentsAreNamed(kind: String, component: String, message: String) {
        let data: Data = switch kind {
        case "normalizer": Self.json(normalizer: component)
        case "pre_tokenizer": Self.json(preTokenizer: component)
        case "post_processor": Self.json(postProcessor: component)
        default: Self.json(model: component)
        }
        let error = error(data)
        #expect(error?.code == .unsupportedComponent, "\(String(describing: error))")
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ("normalizer", #"{"type": "Precompiled", "precompiled_charsmap": ""}"#, "precompiled_charsmap is too short"),
        ("normalizer", #"{"type": "Precompiled", "precompiled_charsmap": "not base64!"}"#, "not valid base64"),
        ("normalizer", #"{"type": "Precompiled", "precompiled_charsmap": "QAAAAA=="}"#, "declares a trie of 64 bytes"),
        ("pre_tokenizer", #"{"type": "Metaspace", "replacement": "▁", "add_prefix_space": false, "prepend_scheme": "always"}"#,
         "add_prefix_space does not match prepend_scheme"),
        ("pre_tokenizer", #"{"type": "Split", "pattern": {"Regex": "a{3,2}"}, "behavior": "Isolated", "invert": false}"#,
         "is reversed"),
        ("pre_tokenizer", #"{"type": "Split", "pattern": {"Regex": "(ab"}, "behavior": "Isolated", "invert": false}"#,
         "missing ')'"),
        ("model", #"{"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"]]}"#, "'ab' is not in the vocabulary"),
        ("model", #"{"type": "BPE", "vocab": {"a": 0}, "merges": [], "unk_token": "<unk>"}"#, "unk_token '<unk>'"),
        ("model", #"{"type": "Unigram", "vocab": [["a", -1.0]], "unk_id": 5}"#, "unk_id 5 is outside"),
    ])
    func invalidConfigurationsAreNamed(kind: String, component: String, message: String) {
        let data: Data = switch kind {
        case "normalizer": Self.json(normalizer: component)
        case "pre_tokenizer": Self.json(preTokenizer: component)
        default: Self.json(model: component)
        }
        let error = error(data)
        #expect(error?.code == .invalidConfiguration, "\(String(describing: error))")
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func unknownKeysAreNamed() {
        let error = error(Self.json(normalizer: #"{"type": "BertNormalizer", "lowercase": true, "strip_everything": true}"#))
        #expect(error?.code == .unknownKey)
        #expect(error?.message.contains("'strip_everything'") == true)
        #expect(error?.message.contains("BertNormalizer") == true)
        let topLevel = self.error(Self.json(extra: #", "surprise": 1"#))
        #expect(topLevel?.message.contains("tokenizer.json has unknown key 'surprise'") == true)
    }

    @Test func unknownTokenMustBeInTheVocabulary() {
        let error = error(Self.json(model: #"{"type": "WordPiece", "unk_token": "<unk>", "vocab": {"a": 0}}"#))
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("'<unk>'") == true)
    }

    @Test func addedTokenIdsMustBeTheOnesTokenizersGives() {
        // "hello" is in the vocabulary with id 4: tokenizers would give it 4, not 9.
        let error = error(Self.json(addedTokens: #"[{"id": 9, "content": "hello", "special": true}]"#))
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("'hello' has id 9 in the file, but tokenizers gives it id 4") == true)
    }

    @Test func addedTokensTakeWhitespaceAsConfigured() throws {
        let tokenizer = try Tokenizer(data: Self.json(
            preTokenizer: #"{"type": "WhitespaceSplit"}"#,
            addedTokens: #"[{"id": 7, "content": "<x>", "lstrip": true, "rstrip": true, "special": true}]"#))
        let encoding = tokenizer.encode("hello  <x>  world")
        #expect(encoding.ids == [2, 4, 7, 5, 3])
        // The token's offsets include the whitespace it took.
        #expect(encoding.offsets == [0..<0, 0..<5, 5..<12, 12..<17, 0..<0])
    }

    @Test func brokenJSONIsAnInvalidFormat() {
        #expect(error(Data("{".utf8))?.code == .invalidFormat)
        let typeError = error(Self.json(model: #"{"type": "WordPiece", "vocab": {"a": "zero"}}"#))
        #expect(typeError?.code == .invalidFormat)
        #expect(typeError?.message.contains("model.vocab") == true, "\(String(describing: typeError))")
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: TokenizerError.self) {
            try Tokenizer(contentsOf: URL(fileURLWithPath: "/nonexistent/tokenizer.json"))
        }
    }

    @Test func fileTruncationAndPaddingAreExposedNotApplied() throws {
        let tokenizer = try Tokenizer(contentsOf: TestPaths.fixture("tokenizers/all-MiniLM-L6-v2/tokenizer.json"))
        #expect(tokenizer.configuredTruncation == Truncation(maxLength: 128))
        #expect(tokenizer.configuredPadding == Padding(strategy: .fixed(128)))
        // Not applied unless asked for: a short text stays short.
        #expect(tokenizer.encode("hi").count == 3)
        let long = String(repeating: "word ", count: 300)
        #expect(tokenizer.encode(long).count == 302)
        #expect(tokenizer.encode(long, truncation: tokenizer.configuredTruncation).count == 128)
    }

    @Test func sequencesOfComponentsApplyInOrder() throws {
        let tokenizer = try Tokenizer(data: Self.json(
            normalizer: #"{"type": "Sequence", "normalizers": [{"type": "Lowercase"}]}"#,
            preTokenizer: #"{"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}]}"#))
        // WhitespaceSplit keeps punctuation inside words: "world!" is one piece, unknown.
        #expect(tokenizer.encode("HELLO world!").ids == [2, 4, 1, 3])
    }
}
