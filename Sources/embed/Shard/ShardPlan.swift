import ArgumentParser

/// `--shard K/N`: shard `K` (0-based) of `N`.
///
/// Shards are contiguous ranges of input lines, numbered from 1 as the reader numbers them
/// (every line counts, blank ones included; a final line without `\n` counts, an empty
/// file has none): shard `K` of `N` over `L` lines holds lines `⌊K·L/N⌋ + 1` through
/// `⌊(K+1)·L/N⌋`. The assignment depends only on `K`, `N` and the number of lines, so it is
/// the same on every run and machine, and merging is concatenation in shard order.
struct ShardSpec: Sendable, Equatable, CustomStringConvertible {
    var index: Int
    var count: Int

    static let whole = ShardSpec(index: 0, count: 1)

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `K/N`, e.g. `3/16`.
    init(parsing text: String) throws {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, let index = Int(pieces[0]), let count = Int(pieces[1]) else {
            throw ValidationError("--shard expects K/N (0-based shard K of N shards, e.g. 3/16), got '\(text)'")
        }
        guard count >= 1 else { throw ValidationError("--shard \(text): the number of shards must be at least 1, got \(count)") }
        guard (0..<count).contains(index) else {
            throw ValidationError("--shard \(text): K is 0-based and must be from 0 to \(count - 1), got \(index)")
        }
        self.init(index: index, count: count)
    }

    var description: String { "\(index)/\(count)" }

    /// The shard's first and last line (1-based, inclusive) in an input of `total` lines;
    /// `first > last` when the shard is empty (fewer lines than shards).
    func lines(of total: Int) -> (first: Int, last: Int) {
        (index * total / count + 1, (index + 1) * total / count)
    }

    /// The file names of this shard: `shard-00003-of-00016…`.
    var prefix: String { "shard-\(Self.padded(index))-of-\(Self.padded(count))" }

    var manifestName: String { prefix + ".manifest.json" }

    static func padded(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
}

/// One part of a shard: a fixed range of lines, its own file(s).
struct PartPlan: Sendable, Equatable {
    var number: Int
    var firstLine: Int
    var lastLine: Int

    var count: Int { lastLine - firstLine + 1 }
}

/// The output formats of `--output-dir`.
enum OutputFormat: String, Sendable, CaseIterable, ExpressibleByArgument {
    /// One JSON array per line, as `embed encode` prints.
    case jsonl
    /// float32 little-endian `.npy` of shape (rows, dimension), plus an `.ids.npy` (int64
    /// line numbers) per part.
    case npy

    var fileExtension: String { rawValue }
}

/// The parts of one shard: every `partSize` lines from its first line.
struct ShardPlan: Sendable, Equatable {
    var shard: ShardSpec
    var firstLine: Int
    var lastLine: Int
    var partSize: Int

    init(shard: ShardSpec, totalLines: Int, partSize: Int) {
        self.shard = shard
        (firstLine, lastLine) = shard.lines(of: totalLines)
        self.partSize = partSize
    }

    var lineCount: Int { max(0, lastLine - firstLine + 1) }

    var parts: [PartPlan] {
        guard lineCount > 0 else { return [] }
        return stride(from: firstLine, through: lastLine, by: partSize).enumerated().map { number, first in
            PartPlan(number: number, firstLine: first, lastLine: min(first + partSize - 1, lastLine))
        }
    }

    /// `shard-00003-of-00016.part-00000.jsonl` (or `.npy`).
    func fileName(of part: PartPlan, format: OutputFormat) -> String {
        "\(shard.prefix).part-\(ShardSpec.padded(part.number)).\(format.fileExtension)"
    }

    /// The ids file beside an `.npy` part: `….part-00000.ids.npy`; none for JSON lines.
    func idsFileName(of part: PartPlan, format: OutputFormat) -> String? {
        format == .npy ? "\(shard.prefix).part-\(ShardSpec.padded(part.number)).ids.npy" : nil
    }
}
