// libFuzzer target for EmbedTokenizers: arbitrary bytes, read as (lossy) UTF-8, go through
// every fixture tokenizer in every mode (single text, truncation, pair, padded batch).
// Built and run by scripts/fuzz-tokenizer.sh; not part of the Swift package.
//
// The input's first byte chooses the tokenizer and the mode, the rest is the text (a pair is
// cut at the first U+0001, else in the middle). Every result is checked: equal lengths,
// ids the tokenizer knows, offsets inside the text. A violation stops the fuzzer.

import EmbedTokenizers
import Foundation

let fixtures: [(name: String, tokenizer: Tokenizer)] = {
    guard let folder = ProcessInfo.processInfo.environment["FUZZ_TOKENIZERS"] else {
        fatalError("set FUZZ_TOKENIZERS to Tests/Fixtures/tokenizers")
    }
    let root = URL(fileURLWithPath: folder)
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    var result: [(String, Tokenizer)] = []
    for name in names {
        let file = root.appendingPathComponent(name).appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: file.path) else { continue }
        do {
            result.append((name, try Tokenizer(contentsOf: file)))
        } catch {
            fatalError("cannot load \(name): \(error)")
        }
    }
    guard !result.isEmpty else { fatalError("no tokenizer.json under \(folder)") }
    FileHandle.standardError.write(Data("fuzzing \(result.count) tokenizers: \(result.map(\.0))\n".utf8))
    return result
}()

func check(_ encoding: Encoding, _ tokenizer: Tokenizer, maxOffset: Int, _ context: String) {
    let count = encoding.ids.count
    guard encoding.typeIds.count == count, encoding.attentionMask.count == count,
        encoding.specialTokensMask.count == count, encoding.offsets.count == count
    else { fatalError("\(context): arrays of different lengths") }
    for (id, offsets) in zip(encoding.ids, encoding.offsets) {
        guard tokenizer.token(forId: id) != nil else { fatalError("\(context): unknown id \(id)") }
        guard offsets.lowerBound >= 0, offsets.upperBound <= maxOffset else {
            fatalError("\(context): offsets \(offsets) outside 0...\(maxOffset)")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = Int(data[0])
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    let (name, tokenizer) = fixtures[selector % fixtures.count]
    let mode = selector / fixtures.count % 4
    let length = text.unicodeScalars.count
    let context = "\(name) mode \(mode)"
    switch mode {
    case 0:
        check(tokenizer.encode(text), tokenizer, maxOffset: length, context)
    case 1:
        let truncation = Truncation(maxLength: size % 40, direction: size % 2 == 0 ? .left : .right)
        let encoding = tokenizer.encode(text, addSpecialTokens: size % 3 != 0, truncation: truncation)
        check(encoding, tokenizer, maxOffset: length, context)
    case 2:
        let scalars = Array(text.unicodeScalars)
        let cut = scalars.firstIndex(of: "\u{1}") ?? scalars.count / 2
        var first = ""
        first.unicodeScalars.append(contentsOf: scalars[..<cut])
        var second = ""
        second.unicodeScalars.append(contentsOf: scalars[cut...].dropFirst())
        let strategies: [Truncation.Strategy] = [.longestFirst, .onlyFirst, .onlySecond]
        let truncation = Truncation(maxLength: size % 30, strategy: strategies[size % 3])
        if let encoding = try? tokenizer.encode(first, pair: second, truncation: truncation) {
            check(encoding, tokenizer, maxOffset: max(first.unicodeScalars.count, second.unicodeScalars.count), context)
        }
    default:
        let parts = text.split(separator: "\n", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
        let padding = Padding(direction: size % 2 == 0 ? .left : .right, padToMultipleOf: size % 5 == 0 ? 8 : nil)
        let encodings = tokenizer.encodeBatch(parts, truncation: Truncation(maxLength: 64), padding: padding)
        guard Set(encodings.map(\.count)).count <= 1 else { fatalError("\(context): batch not padded to one length") }
        for encoding in encodings { check(encoding, tokenizer, maxOffset: length, context) }
    }
    return 0
}
