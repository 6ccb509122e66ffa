import EmbedCore
import Foundation
import Testing

/// The strict JSON syntax check: what RFC 8259 allows passes, the rest fails with its place.
struct StrictJSONScannerTests {
    func check(_ text: String) -> StrictJSONScanner.Failure? {
        do throws(StrictJSONScanner.Failure) {
            try StrictJSONScanner().validate(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        #"{}"#, #"[]"#, #""a""#, "0", "-0.5e+10", "true", "null", #" {"a": [1, 2, {"b": null}], "c": "\u00e9\n"} "#,
        #"{"a": 1, "b": {"a": 2}}"#, #"["a", "a"]"#, #"{"\ud83d\ude00": 1}"#, "[[[[]]]]",
        "1e308", "-1.7976931348623157e308", "1e-400", String(repeating: "9", count: 308),
    ])
    func validJSONPasses(_ text: String) {
        #expect(check(text) == nil, "\(text)")
    }

    @Test(arguments: [
        (#"{"inputs": "a", "inputs": "b"}"#, #"duplicate key "inputs""#, 1, 17),
        (#"{"a": 1, "\u0061": 2}"#, #"duplicate key "a""#, 1, 10),
        ("[1, 2,]", "trailing comma before ']'", 1, 6),
        ("{\n  \"a\": 1,\n}", "trailing comma before '}'", 2, 9),
        ("[1 2]", "expected ',' or ']' in an array", 1, 4),
        (#"{"a" 1}"#, #"expected ':' after the key "a""#, 1, 6),
        ("[01]", "invalid number: a leading zero must not be followed by digits", 1, 3),
        ("[1.]", "invalid number: expected a digit after '.'", 1, 4),
        ("[tru]", "invalid literal: expected 'true'", 1, 2),
        (#"["a"#, "unterminated string", 1, 2),
        ("[\"a\tb\"]", "control character \\x9 in a string: escape it", 1, 4),
        (#"["\x"]"#, #"invalid escape '\x' in a string"#, 1, 3),
        ("{} x", "unexpected text after the JSON value", 1, 4),
        ("", "unexpected end of the text: expected a value", 1, 1),
        ("{'a': 1}", "expected a key in double quotes", 1, 2),
        (#"{"dimensions": 1e400}"#, "number out of range: 1e400 does not fit a 64-bit float", 1, 16),
        ("[-2E+309]", "number out of range: -2E+309 does not fit a 64-bit float", 1, 2),
        ("[" + String(repeating: "9", count: 400) + "]",
         "number out of range: " + String(repeating: "9", count: 40) + "… does not fit a 64-bit float", 1, 2),
    ])
    func invalidJSONFailsWithItsPlace(_ text: String, _ reason: String, _ line: Int, _ column: Int) throws {
        let failure = try #require(check(text), "\(text) should fail")
        #expect(failure.reason == reason, "\(text)")
        #expect(failure.line == line, "\(text)")
        #expect(failure.column == column, "\(text)")
    }

    @Test func nestingIsBoundedWithoutRecursion() throws {
        #expect(check(String(repeating: "[", count: 128) + String(repeating: "]", count: 128)) == nil)
        let deep = try #require(check(String(repeating: "[", count: 100_000)))
        #expect(deep.reason == "nested deeper than 128 levels")
        #expect(deep.offset == 128)
        #expect(deep.description == "nested deeper than 128 levels at line 1, column 129 (byte 128)")
    }
}
