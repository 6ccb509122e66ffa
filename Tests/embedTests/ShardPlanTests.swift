import Foundation
import Testing

@testable import embed

/// Which lines a shard holds, the parts of a shard, the .npy header.
struct ShardPlanTests {
    @Test func everyLineIsInExactlyOneShardInOrder() {
        for total in [0, 1, 2, 7, 100, 1001] {
            for count in [1, 2, 3, 16] {
                var covered: [Int] = []
                for index in 0..<count {
                    let plan = ShardPlan(shard: ShardSpec(index: index, count: count), totalLines: total, partSize: 3)
                    let parts = plan.parts
                    #expect(parts.map(\.count).reduce(0, +) == plan.lineCount)
                    for part in parts { covered += Array(part.firstLine...part.lastLine) }
                }
                #expect(covered == Array(stride(from: 1, through: total, by: 1)), "\(total) lines, \(count) shards")
            }
        }
    }

    @Test func rangesAreContiguousAndFixed() {
        // 10 lines in 3 shards: ⌊K·10/3⌋+1 … ⌊(K+1)·10/3⌋.
        let ranges = (0..<3).map { ShardSpec(index: $0, count: 3).lines(of: 10) }
        #expect(ranges.map(\.first) == [1, 4, 7])
        #expect(ranges.map(\.last) == [3, 6, 10])
        let plan = ShardPlan(shard: ShardSpec(index: 2, count: 3), totalLines: 10, partSize: 3)
        #expect(plan.parts == [PartPlan(number: 0, firstLine: 7, lastLine: 9), PartPlan(number: 1, firstLine: 10, lastLine: 10)])
        #expect(plan.fileName(of: plan.parts[1], format: .npy) == "shard-00002-of-00003.part-00001.npy")
        #expect(plan.idsFileName(of: plan.parts[1], format: .npy) == "shard-00002-of-00003.part-00001.ids.npy")
        #expect(plan.idsFileName(of: plan.parts[1], format: .jsonl) == nil)
    }

    @Test func inputLinesAreCountedAsTheReaderReadsThem() throws {
        let folder = try TestFolder()
        for text in ["", "\n", "a", "a\n", "a\n\n", "a\r\nb", "\n\nx\ny\n", String(repeating: "line\n", count: 70_000) + "end"] {
            let path = folder.path("in.txt")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let identity = try InputIdentity(path: path)
            #expect(identity.lines == Array(try LineReader(path: path)).count, "\(text.prefix(20).debugDescription)")
            #expect(identity.size == Int64(text.utf8.count))
        }
        let path = folder.path("abc.txt")
        try "abc".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try InputIdentity(path: path).sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func shardSpecsAreParsedStrictly() throws {
        #expect(try ShardSpec(parsing: "3/16") == ShardSpec(index: 3, count: 16))
        for bad in ["3", "3/3", "-1/3", "0/0", "a/b", "1/2/3", ""] {
            #expect(throws: (any Error).self, "\(bad)") { try ShardSpec(parsing: bad) }
        }
    }

    @Test func npyHeadersAreAlignedAndReadBack() throws {
        for shape in [[0, 4], [3, 384], [123_456, 1024], [7]] {
            let header = NPY.header(shape.count == 1 ? .int64 : .float32, shape: shape)
            #expect(header.count % 64 == 0)
            #expect(header.last == 0x0A)
            let parsed = try NPY.parseHeader(header, name: "x.npy")
            #expect(parsed.shape == shape)
            #expect(parsed.dataOffset == header.count)
        }
        var bytes: [UInt8] = []
        let values: [Float] = [0, -0.0, 1.5, -3.25e-7, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
        NPY.append(values, to: &bytes)
        #expect(NPY.floats(bytes[...]).map(\.bitPattern) == values.map(\.bitPattern))
        #expect(Array(bytes[8..<12]) == [0x00, 0x00, 0xC0, 0x3F])  // 1.5, little-endian
        var ids: [UInt8] = []
        NPY.append(int64: 258, to: &ids)
        #expect(ids == [2, 1, 0, 0, 0, 0, 0, 0])
    }

    @Test func manifestsRefuseUnknownKeysAndNameDifferences() throws {
        let manifest = ShardManifest(
            fingerprint: ModelFingerprint(
                model: "m", engine: "hashing (4 dimensions)", onnxFile: nil, onnxFileSize: nil, precision: nil, dimension: 4,
                pooling: "none", normalize: true, prompt: "", maxLength: 512, inputFormat: "text"),
            input: InputIdentity(size: 3, sha256: "ab", lines: 1),
            shard: .init(index: 0, count: 1, firstLine: 1, lastLine: 1), output: .init(format: "jsonl", partSize: 10),
            parts: [.init(number: 0, file: "f", firstLine: 1, lastLine: 1, count: 1, sha256: "cd")])
        let data = try JSONEncoder().encode(manifest)
        #expect(try JSONDecoder().decode(ShardManifest.self, from: data) == manifest)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var fingerprint = try #require(object["fingerprint"] as? [String: Any])
        fingerprint["temperature"] = 1
        object["fingerprint"] = fingerprint
        let folder = try TestFolder()
        let url = folder.url.appendingPathComponent("m.json")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        #expect(throws: (any Error).self) { try ShardManifest.load(url) }
        do {
            _ = try ShardManifest.load(url)
        } catch {
            #expect("\(error)".contains("unknown key 'temperature'"), "\(error)")
            #expect("\(error)".contains("fingerprint"), "\(error)")
        }
        var other = manifest
        other.fingerprint.normalize = false
        other.input.lines = 2
        #expect(try other.differences(from: manifest) == ["fingerprint.normalize: true → false", "input.lines: 1 → 2"])
    }
}

/// A temporary folder, deleted when the value goes away.
final class TestFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-embed-shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// `embed encode`'s progress line and summary.
struct EncodeProgressTests {
    final class Lines {
        var text = ""
    }

    @Test func aTerminalGetsAProgressLineWithTheTimeLeftThenASummary() {
        let lines = Lines()
        var progress = EncodeProgress(total: 100, isTerminal: true) { lines.text += $0 }
        Thread.sleep(forTimeInterval: 0.15)  // the line is drawn at most every 100 ms
        progress.advance(by: 10)
        #expect(lines.text.hasPrefix("\r\u{1B}[Kembedded 10 / 100 texts  "), "\(lines.text)")
        #expect(lines.text.contains(" texts/s  ") && lines.text.hasSuffix(" s left"), "\(lines.text)")
        progress.note = "shard 0/1"
        progress.finish()
        #expect(lines.text.contains("\r\u{1B}[Kembedded 10 texts in "), "\(lines.text)")
        #expect(lines.text.hasSuffix("texts/s); shard 0/1\n"), "\(lines.text)")
    }

    @Test func otherwiseOnlyTheSummary() {
        let lines = Lines()
        var progress = EncodeProgress(total: nil, isTerminal: false) { lines.text += $0 }
        Thread.sleep(forTimeInterval: 0.15)
        progress.advance(by: 7)
        #expect(lines.text.isEmpty)
        progress.finish()
        #expect(lines.text.hasPrefix("embedded 7 texts in ") && lines.text.hasSuffix(" texts/s)\n"), "\(lines.text)")
        #expect(!lines.text.contains("\r"))
    }
}
