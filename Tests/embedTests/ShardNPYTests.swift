import EmbedTestSupport
import Foundation
import Testing

@testable import embed

/// `--format npy`: the merged `.npy` holds exactly the floats `embed encode` prints.
struct ShardNPYTests {
    func floats(ofJSONLines text: String) -> [[Float]] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            line.dropFirst().dropLast().split(separator: ",").compactMap { Float(String($0)) }
        }
    }

    @Test func mergedNPYHoldsTheSameFloatsAsJSONLines() throws {
        let folder = try TestFolder()
        let input = folder.path("texts.txt")
        try ShardCommandTests.corpus.write(toFile: input, atomically: true, encoding: .utf8)
        let engine = ShardCommandTests.engine
        let single = try CommandRunner.run(["encode"] + engine + ["--input", input])
        #expect(single.status == 0, "\(single.stderr)")
        let expected = floats(ofJSONLines: single.stdout)
        #expect(expected.count == 300 && expected.allSatisfy { $0.count == 16 })

        let out = folder.path("out")
        for shard in 0..<3 {
            let run = try CommandRunner.run(
                ["encode"] + engine + ["--input", input, "--output-dir", out, "--shard", "\(shard)/3", "--format", "npy", "--part-size", "40"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(names.contains("shard-00001-of-00003.part-00002.npy"))
        #expect(names.contains("shard-00001-of-00003.part-00002.ids.npy"))

        let noOutput = try CommandRunner.run(["merge", out])
        #expect(noOutput.status != 0)
        #expect(noOutput.stderr.contains("--output FILE.npy"), "\(noOutput.stderr)")
        let merged = folder.path("vectors.npy")
        let merge = try CommandRunner.run(["merge", out, "--output", merged])
        #expect(merge.status == 0, "\(merge.stderr)")

        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: merged)))
        let header = try NPY.parseHeader(bytes, name: merged)
        #expect(header.element == .float32)
        #expect(header.shape == [300, 16])
        #expect(bytes.count == header.dataOffset + 300 * 16 * 4)
        let values = NPY.floats(bytes[header.dataOffset...])
        let rows = stride(from: 0, to: values.count, by: 16).map { Array(values[$0..<($0 + 16)]) }
        #expect(rows.map { $0.map(\.bitPattern) } == expected.map { $0.map(\.bitPattern) })

        let ids = Array(try Data(contentsOf: URL(fileURLWithPath: folder.path("vectors.ids.npy"))))
        let idsHeader = try NPY.parseHeader(ids, name: "vectors.ids.npy")
        #expect(idsHeader.element == .int64 && idsHeader.shape == [300])
        let lineNumbers = stride(from: idsHeader.dataOffset, to: ids.count, by: 8).map { start in
            (0..<8).reduce(Int64(0)) { $0 | Int64(ids[start + $1]) << Int64(8 * $1) }
        }
        #expect(lineNumbers == Array(1...300))

        // NumPy itself reads both files (when the project's Python environment is set up).
        let python = TestPaths.cache.appendingPathComponent("venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else { return }
        try single.stdout.write(toFile: folder.path("single.jsonl"), atomically: true, encoding: .utf8)
        let script = """
            import json, sys, numpy as np
            v = np.load(sys.argv[1]); i = np.load(sys.argv[2])
            ref = np.array([json.loads(l) for l in open(sys.argv[3])], dtype=np.float32)
            assert v.dtype == np.float32 and v.shape == (300, 16), (v.dtype, v.shape)
            assert i.dtype == np.int64 and (i == np.arange(1, 301)).all()
            assert np.array_equal(v.view(np.uint32), ref.view(np.uint32))
            print("numpy ok")
            """
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script, merged, folder.path("vectors.ids.npy"), folder.path("single.jsonl")]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && output.contains("numpy ok"), "\(output)")
    }
}
