import EmbedTestSupport
import Foundation
import Testing

@testable import EmbedTokenizers

/// Compares single normalizers and pre-tokenizers (with Oniguruma regular expressions)
/// with Hugging Face `tokenizers` on `components.golden.json`, made by
/// `scripts/make_tokenizer_components.py`: every piece's text and original offsets.
struct ComponentGoldenTests {
    struct Component {
        var description: String
        var normalizer: Normalizer?
        var preTokenizer: PreTokenizer
        var cases: [(text: String, pieces: [String], offsets: [Int])]
    }

    /// Normalizers are followed by a split into single characters.
    static let characters = #"{"type": "Split", "pattern": {"Regex": "[\\s\\S]"}, "behavior": "Isolated", "invert": false}"#

    static func load() throws -> [Component] {
        let url = TestPaths.fixture("tokenizers/components.golden.json")
        let root = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any] ?? [:]
        let charsmap = try spmCharsmap()
        var components: [Component] = []
        for entry in root["components"] as? [[String: Any]] ?? [] {
            var normalizer: Normalizer?
            var preTokenizer = try JSONDecoder().decode(PreTokenizer.self, from: Data(characters.utf8))
            var description = ""
            if let config = entry["normalizer"] as? [String: Any] {
                var json = String(decoding: try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]), as: UTF8.self)
                description = "normalizer " + json
                json = json.replacingOccurrences(of: "@spm-xlmr", with: charsmap)
                normalizer = try JSONDecoder().decode(Normalizer.self, from: Data(json.utf8))
            }
            if let config = entry["pre_tokenizer"] as? [String: Any] {
                let data = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
                description = "pre_tokenizer " + String(decoding: data, as: UTF8.self)
                preTokenizer = try JSONDecoder().decode(PreTokenizer.self, from: data)
            }
            let cases = (entry["cases"] as? [[String: Any]] ?? []).map {
                (text: $0["text"] as? String ?? "", pieces: $0["p"] as? [String] ?? [], offsets: $0["o"] as? [Int] ?? [])
            }
            components.append(Component(description: description, normalizer: normalizer, preTokenizer: preTokenizer, cases: cases))
        }
        return components
    }

    static func spmCharsmap() throws -> String {
        let url = TestPaths.fixture("tokenizers/spm-xlmr/tokenizer.json")
        let root = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any]
        let normalizer = root?["normalizer"] as? [String: Any]
        let first = (normalizer?["normalizers"] as? [[String: Any]])?.first
        return first?["precompiled_charsmap"] as? String ?? ""
    }

    /// The pieces our implementation makes of `text`, with their original offsets.
    static func pieces(_ text: String, _ component: Component) -> (pieces: [String], offsets: [Int]) {
        let scalars = text.unicodeScalars.map(\.value)
        var scratch = EncodeScratch()
        var normalized = NormalizedText(scalars, range: 0..<scalars.count)
        if let normalizer = component.normalizer { normalized = normalizer.normalize(normalized, origin: 0, scratch: &scratch) }
        var pre = PreTokenizedText(text: normalized, pieces: normalized.isEmpty ? [] : [0..<normalized.count])
        component.preTokenizer.split(&pre, scratch: &scratch)
        var strings: [String] = []
        var offsets: [Int] = []
        for piece in pre.pieces {
            var string = ""
            for value in pre.text.scalars[piece] { string.unicodeScalars.append(Unicode.Scalar(value) ?? "?") }
            strings.append(string)
            let range = pre.text.originalRange(of: piece)
            offsets += [range.lowerBound, range.upperBound]
        }
        return (strings, offsets)
    }

    @Test func componentsMatch() throws {
        let components = try Self.load()
        #expect(components.count > 100, "golden file missing or too small: run scripts/make_tokenizer_components.py")
        var failures = 0
        var checked = 0
        for component in components {
            for testCase in component.cases {
                checked += 1
                let actual = Self.pieces(testCase.text, component)
                guard actual.pieces != testCase.pieces || actual.offsets != testCase.offsets else { continue }
                failures += 1
                if failures <= 20 {
                    Issue.record("""
                        \(component.description.prefix(160)) on \(FixtureGoldenTests.label(testCase.text)):
                          ours       \(actual.pieces.prefix(12)) \(actual.offsets.prefix(24))
                          tokenizers \(testCase.pieces.prefix(12)) \(testCase.offsets.prefix(24))
                        """)
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(checked) component cases differ")
    }
}
