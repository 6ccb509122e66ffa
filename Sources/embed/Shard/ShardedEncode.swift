import EmbedEngine
import Foundation

/// `embed encode --output-dir DIR [--shard K/N]`: one shard of a file embedded into part
/// files and a manifest, resumable. See ``ShardSpec`` for which lines a shard holds.
struct ShardedEncode {
    let embedder: Embedder
    let input: String
    let jsonl: Bool
    let shard: ShardSpec
    let folder: URL
    let format: OutputFormat
    let partSize: Int
    let force: Bool
    /// `--model` as given, for the fingerprint.
    let model: String?

    /// Texts per call to the engine (as `embed encode` without shards), never across a part.
    static let chunk = 4096

    /// Embeds the shard's missing parts and returns the progress (for its summary).
    func run() async throws -> EncodeProgress {
        let identity = try await OffPool.run { [input] in try InputIdentity(path: input) }
        let plan = ShardPlan(shard: shard, totalLines: identity.lines, partSize: partSize)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot create the output folder \(folder.path): \(error.localizedDescription)")
        }
        try refuseOtherRuns()
        var manifest = ShardManifest(
            fingerprint: try ModelFingerprint(embedder: embedder, model: model, jsonl: jsonl), input: identity,
            shard: .init(index: shard.index, count: shard.count, firstLine: plan.firstLine, lastLine: plan.lastLine),
            output: .init(format: format.rawValue, partSize: partSize), parts: [])
        let manifestURL = folder.appendingPathComponent(shard.manifestName)
        let job = try ShardJob(
            input: input, plan: plan, format: format, dimension: embedder.info.dimension, folder: folder, jsonl: jsonl)
        manifest.parts = try await keptParts(of: plan, job: job, fresh: manifest, at: manifestURL)
        try await OffPool.run { [manifest] in try manifest.write(to: manifestURL) }

        let kept = Set(manifest.parts.map(\.number))
        var progress = EncodeProgress(total: plan.parts.filter { !kept.contains($0.number) }.reduce(0) { $0 + $1.count })
        progress.note = "shard \(shard), lines \(plan.firstLine)–\(plan.lastLine), \(kept.count) of \(plan.parts.count) parts kept"
        let pause = ProcessInfo.processInfo.environment["EMBED_TEST_PAUSE_AFTER_PART_MS"].flatMap(Int.init)
        for part in plan.parts where !kept.contains(part.number) {
            try await OffPool.run { try job.skip(to: part.firstLine) }
            try await OffPool.run { try job.open(part) }
            do {
                var done = 0
                while done < part.count {
                    let count = min(Self.chunk, part.count - done)
                    let texts = try await OffPool.run { try job.read(count) }
                    let vectors = try await embedder.embed(texts)
                    try await OffPool.run { try job.write(vectors) }
                    done += count
                    progress.advance(by: count)
                }
                manifest.parts.append(try await OffPool.run { try job.commit() })
            } catch {
                job.abandon()
                throw error
            }
            manifest.parts.sort { $0.number < $1.number }
            try await OffPool.run { [manifest] in try manifest.write(to: manifestURL) }
            // For tests only: time to kill the process between two parts.
            if let pause { try await Task.sleep(for: .milliseconds(pause)) }
        }
        return progress
    }

    /// The parts of an earlier run that can stay: the manifest at `url` must have been made
    /// with the same settings (else an error naming what differs, or nothing kept with
    /// `--force`), and each part's files must still hash to what it records (else it is
    /// recomputed, and standard error says why).
    private func keptParts(of plan: ShardPlan, job: ShardJob, fresh: ShardManifest, at url: URL) async throws -> [ShardManifest.Part] {
        let earlier: ShardManifest?
        do {
            earlier = try await OffPool.run { try ShardManifest.load(url) }
        } catch where force {
            Self.note("--force: \(error); recomputing every part")
            return []
        }
        guard let earlier else { return [] }
        let differences = try fresh.differences(from: earlier)
        if !differences.isEmpty {
            guard force else {
                throw CLIError(
                    "\(url.path) was made with other settings or another input; what differs (the manifest's → this run's):\n  "
                        + differences.joined(separator: "\n  ")
                        + "\nrun again with the same model, options and input, choose another --output-dir, or pass --force to recompute this shard")
            }
            Self.note("--force: \(url.lastPathComponent) was made with other settings (\(differences.joined(separator: "; "))); recomputing every part")
            return []
        }
        let recorded = Dictionary(earlier.parts.map { ($0.number, $0) }) { first, _ in first }
        return try await OffPool.run {
            var kept: [ShardManifest.Part] = []
            for part in plan.parts {
                guard let entry = recorded[part.number] else { continue }
                if let problem = job.problem(with: entry, for: part) {
                    Self.note("recomputing \(entry.file) (lines \(part.firstLine)–\(part.lastLine)): \(problem)")
                } else {
                    kept.append(entry)
                }
            }
            return kept
        }
    }

    /// One run per folder (merge joins all the manifests it finds): a manifest of another
    /// number of shards is refused, unless `--force`.
    private func refuseOtherRuns() throws {
        let suffix = "-of-\(ShardSpec.padded(shard.count)).manifest.json"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard !force, let other = names.sorted().first(where: { $0.hasPrefix("shard-") && $0.hasSuffix(".manifest.json") && !$0.hasSuffix(suffix) })
        else { return }
        throw CLIError(
            "\(folder.path) already holds \(other), from a run in another number of shards than \(shard.count): "
                + "use another --output-dir (embed merge joins one run per folder), or --force to write beside it")
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
