import ArgumentParser
import Foundation

/// `embed merge DIR`: the shards of `embed encode --output-dir DIR --shard K/N`, checked and
/// joined into one output in input order.
struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Check the shards in a folder of `embed encode --output-dir` and join them in input order.",
        discussion: """
            Every shard's manifest must be there, made with the same model, options, input and format; \
            every input line must be in exactly one part, and every part file must hash to the SHA-256 \
            its manifest records. An error names the missing shard, the missing or corrupt part, or \
            the setting that differs. JSON lines go to --output or standard output, exactly as one \
            `embed encode` of the whole input prints them; npy needs --output (one float32 array of \
            shape (lines, dimension)) and writes the line numbers to --ids (default: the output's \
            name with .ids.npy).
            """)

    @Argument(help: "The folder given to embed encode --output-dir.")
    var folder: String

    @Option(name: .long, help: ArgumentHelp("The merged file (default for JSON lines: standard output).", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("npy: the merged ids file (default: the output with .ids.npy instead of .npy).", valueName: "file"))
    var ids: String?

    func run() async throws {
        let start = ContinuousClock.now
        let folderURL = URL(fileURLWithPath: folder)
        let merge = try await OffPool.run { try ShardMerge(folder: folderURL) }
        try await OffPool.run { try merge.verify() }
        let destination: String
        switch merge.format {
        case .jsonl:
            if let output {
                try await OffPool.run {
                    try Self.writing([output]) { files in try merge.writeJSONLines { try files[0].write(Array($0)) } }
                }
                destination = output
            } else {
                try await OffPool.run { try merge.writeJSONLines { FileHandle.standardOutput.write($0) } }
                destination = "standard output"
            }
        case .npy:
            guard let output else { throw ValidationError("the shards are .npy: give the merged file with --output FILE.npy") }
            let idsPath = ids ?? (output.hasSuffix(".npy") ? String(output.dropLast(4)) : output) + ".ids.npy"
            try await OffPool.run {
                try Self.writing([output, idsPath]) { files in try merge.writeNPY(vectors: files[0], ids: files[1]) }
            }
            destination = "\(output) and \(idsPath)"
        }
        let seconds = Double(start.duration(to: .now).components.seconds) + Double(start.duration(to: .now).components.attoseconds) / 1e18
        ShardedEncode.note(
            "merged \(merge.manifests.count) shards, \(merge.parts.count) parts, \(merge.lines) lines into \(destination) in "
                + String(format: "%.1f s", seconds))
    }

    /// Writes the files at `paths` with `body`, each through its `.partial` file: all are
    /// renamed into place when `body` succeeds, none is left behind when it fails.
    private static func writing(_ paths: [String], _ body: ([AtomicFile]) throws -> Void) throws {
        let files = try paths.map { try AtomicFile(URL(fileURLWithPath: $0)) }
        do {
            try body(files)
            for file in files { _ = try file.commit() }
        } catch {
            for file in files { file.abandon() }
            throw error
        }
    }
}
