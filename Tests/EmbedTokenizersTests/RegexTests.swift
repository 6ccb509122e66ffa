import Testing

@testable import EmbedTokenizers

/// The regular expression engine on its own. Its agreement with Oniguruma is checked by
/// the component golden file; these tests check properties that need no reference.
struct RegexTests {
    /// Strings from many scripts, whitespace and punctuation, drawn with a fixed seed.
    static func randomTexts(count: Int, seed: UInt64) -> [[UInt32]] {
        let pools: [[UInt32]] = [
            Array(" \t\n\r\u{a0}\u{3000}\u{2028}  ".unicodeScalars.map(\.value)),
            Array("abcXYZ'sltrevmd0123456789".unicodeScalars.map(\.value)),
            Array("éßÆΩжא中文한글ไทย😀👍🏽".unicodeScalars.map(\.value)),
            Array("!?.,;:-_()[]{}\"'`@#$%^&*+=<>/\\|~…«»".unicodeScalars.map(\.value)),
            Array("\u{301}\u{200d}\u{fe0f}²½Ⅻ٣".unicodeScalars.map(\.value)),
        ]
        var generator = SplitMix(seed: seed)
        return (0..<count).map { _ in
            (0..<Int(generator.next() % 40)).map { _ in
                let pool = pools[Int(generator.next() % UInt64(pools.count))]
                return pool[Int(generator.next() % UInt64(pool.count))]
            }
        }
    }

    /// A small deterministic generator (SplitMix64).
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func handWrittenGPT2SplitterAgreesWithTheEngine() throws {
        let program = try RegexProgram(pattern: GPT2Splitter.pattern)
        var scratch = RegexScratch()
        for text in Self.randomTexts(count: 3000, seed: 42) {
            var fast: [Range<Int>] = []
            GPT2Splitter.split(text, 0..<text.count, into: &fast)
            var general: [Range<Int>] = []
            program.forEachMatch(in: text, bounds: 0..<text.count, scratch: &scratch) { general.append($0) }
            #expect(fast == general, "\(text.map { String($0, radix: 16) })")
        }
    }

    @Test func matchesTileTheTextForGPT2() {
        for text in Self.randomTexts(count: 500, seed: 7) {
            var pieces: [Range<Int>] = []
            GPT2Splitter.split(text, 0..<text.count, into: &pieces)
            #expect(pieces.map(\.count).reduce(0, +) == text.count)
            #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        }
    }

    @Test func searchTimeIsLinearInTheText() throws {
        // A pattern that makes backtracking engines explode finishes at once here.
        let program = try RegexProgram(pattern: "(a*)*b|(a|aa)+c")
        let text = [UInt32](repeating: 0x61, count: 20_000)
        var scratch = RegexScratch()
        var matches = 0
        program.forEachMatch(in: text, bounds: 0..<text.count, scratch: &scratch) { _ in matches += 1 }
        #expect(matches == 0)
    }

    @Test func emptyMatchesAdvance() throws {
        let program = try RegexProgram(pattern: "x*")
        let text = Array("axxb".unicodeScalars.map(\.value))
        var scratch = RegexScratch()
        var found: [Range<Int>] = []
        program.forEachMatch(in: text, bounds: 0..<text.count, scratch: &scratch) { found.append($0) }
        // As tokenizers 0.23.3 finds them (Replace(Regex("x*"), "-") turns "axxb" into
        // "-a-b-"): empty at 0, "xx", then empty at the end (the empty match right after
        // "xx" is skipped).
        #expect(found == [0..<0, 1..<3, 4..<4])
    }

    @Test func largeRepetitionsAreRefused() {
        #expect(throws: TokenizerError.self) { try RegexProgram(pattern: "a{1001}") }
        #expect(throws: TokenizerError.self) { try RegexProgram(pattern: "(a{1000}){1000}") }
    }
}
