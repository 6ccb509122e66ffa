import Foundation
import Synchronization

/// The file side of one shard's run: the input read line by line and the part being
/// written. Its methods block (they read and write files), so they are called through
/// ``OffPool``, one at a time.
final class ShardJob: Sendable {
    private struct State {
        var reader: LineReader
        /// The number of the next line the reader returns.
        var nextLine = 1
        var writer: PartWriter?
    }

    let plan: ShardPlan
    let format: OutputFormat
    let dimension: Int
    let folder: URL
    let jsonl: Bool
    private let state: Mutex<State>

    init(input: String, plan: ShardPlan, format: OutputFormat, dimension: Int, folder: URL, jsonl: Bool) throws {
        self.plan = plan
        self.format = format
        self.dimension = dimension
        self.folder = folder
        self.jsonl = jsonl
        state = Mutex(State(reader: try LineReader(path: input)))
    }

    /// Reads past every line before `line` without decoding them.
    func skip(to line: Int) throws {
        try state.withLock { state in
            while state.nextLine < line {
                guard state.reader.next() != nil else {
                    throw CLIError("the input ended at line \(state.nextLine - 1), before line \(line): it changed during the run")
                }
                state.nextLine += 1
            }
        }
    }

    /// The texts of the next `count` lines (UTF-8 checked; with `jsonl`, the `"text"` field).
    func read(_ count: Int) throws -> [String] {
        try state.withLock { state in
            var texts: [String] = []
            texts.reserveCapacity(count)
            for _ in 0..<count {
                guard let bytes = state.reader.next() else {
                    throw CLIError("the input ended at line \(state.nextLine - 1), before line \(state.nextLine): it changed during the run")
                }
                let line = try NumberedLine(number: state.nextLine, bytes: bytes)
                texts.append(jsonl ? try EncodeCommand.text(ofJSONLine: line) : line.text)
                state.nextLine += 1
            }
            return texts
        }
    }

    /// Starts writing `part` (its `.partial` files).
    func open(_ part: PartPlan) throws {
        try state.withLock { state in
            state.writer = try PartWriter(part: part, plan: plan, format: format, dimension: dimension, folder: folder)
        }
    }

    func write(_ vectors: [[Float]]) throws {
        try state.withLock { state in
            guard let writer = state.writer else { throw CLIError("internal error: no part is open") }
            try writer.write(vectors)
        }
    }

    /// Finishes the open part: synced, renamed, described for the manifest.
    func commit() throws -> ShardManifest.Part {
        try state.withLock { state in
            guard let writer = state.writer else { throw CLIError("internal error: no part is open") }
            state.writer = nil
            return try writer.commit()
        }
    }

    /// Deletes the open part's `.partial` files (after an error).
    func abandon() {
        state.withLock { state in
            state.writer?.abandon()
            state.writer = nil
        }
    }

    /// Whether `recorded` (from an earlier run's manifest) still describes `part`: same
    /// lines and file names, and the files hash to what was recorded. `nil` when it does; else
    /// why not.
    func problem(with recorded: ShardManifest.Part, for part: PartPlan) -> String? {
        guard recorded.firstLine == part.firstLine, recorded.lastLine == part.lastLine, recorded.count == part.count,
            recorded.file == plan.fileName(of: part, format: format),
            recorded.idsFile == plan.idsFileName(of: part, format: format)
        else { return "the manifest's entry does not match the plan of lines \(part.firstLine)–\(part.lastLine)" }
        for (name, expected) in [(recorded.file, recorded.sha256), (recorded.idsFile, recorded.idsSHA256)] {
            guard let name else { continue }
            let url = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { return "\(name) is missing" }
            guard let actual = Digest.sha256(of: url) else { return "\(name) cannot be read" }
            guard actual == expected else { return "\(name) has SHA-256 \(actual), the manifest says \(expected ?? "none")" }
        }
        return nil
    }
}
