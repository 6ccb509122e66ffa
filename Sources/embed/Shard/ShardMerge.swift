import Foundation

/// `embed merge DIR`: the shards' manifests checked against each other and against the
/// plan (same fingerprint, input and format; every line in exactly one part; every part's
/// files present and matching their SHA-256), then the parts concatenated in input order.
struct ShardMerge: Sendable {
    let folder: URL
    let manifests: [ShardManifest]

    var first: ShardManifest { manifests[0] }
    var format: OutputFormat { OutputFormat(rawValue: first.output.format) ?? .jsonl }
    var lines: Int { first.input.lines }
    var parts: [ShardManifest.Part] { manifests.flatMap(\.parts) }

    /// Reads and checks every manifest in `folder` (files are hashed by ``verify()``).
    init(folder: URL) throws {
        self.folder = folder
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasPrefix("shard-") && $0.hasSuffix(".manifest.json") }.sorted()
        } catch {
            throw CLIError("cannot read the folder \(folder.path): \(error.localizedDescription)")
        }
        guard !names.isEmpty else { throw CLIError("no shard manifests (shard-*-of-*.manifest.json) in \(folder.path)") }
        var byIndex: [Int: ShardManifest] = [:]
        var count: Int?
        for name in names {
            guard let manifest = try ShardManifest.load(folder.appendingPathComponent(name)) else { continue }
            let spec = ShardSpec(index: manifest.shard.index, count: manifest.shard.count)
            guard spec.manifestName == name else {
                throw CLIError("\(name) describes shard \(spec); its name should be \(spec.manifestName)")
            }
            if let count, count != spec.count {
                throw CLIError("\(folder.path) mixes runs: \(name) is one of \(spec.count) shards, another manifest one of \(count)")
            }
            count = spec.count
            byIndex[spec.index] = manifest
        }
        let total = count ?? 0
        let missing = (0..<total).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            let listed = missing.map { "\($0)/\(total) (\(ShardSpec(index: $0, count: total).manifestName))" }
            throw CLIError("missing shard\(missing.count == 1 ? "" : "s") in \(folder.path): \(listed.joined(separator: ", ")); run embed encode --shard \(missing[0])/\(total) (and each other one missing) with the same arguments")
        }
        manifests = (0..<total).compactMap { byIndex[$0] }
        try checkPlan()
    }

    /// Same settings everywhere, and the parts are exactly what the plan says.
    private func checkPlan() throws {
        guard OutputFormat(rawValue: first.output.format) != nil else {
            throw CLIError("\(ShardSpec(index: 0, count: manifests.count).manifestName): unknown format '\(first.output.format)'")
        }
        for manifest in manifests.dropFirst() {
            let name = ShardSpec(index: manifest.shard.index, count: manifest.shard.count).manifestName
            let differences = try manifest.differences(from: first).filter { !$0.hasPrefix("shard.") }
            guard differences.isEmpty else {
                throw CLIError("\(name) was made with other settings or another input than shard 0 (shard 0's → this one's):\n  "
                    + differences.joined(separator: "\n  "))
            }
        }
        for manifest in manifests {
            let spec = ShardSpec(index: manifest.shard.index, count: manifest.shard.count)
            let plan = ShardPlan(shard: spec, totalLines: lines, partSize: first.output.partSize)
            guard manifest.shard.firstLine == plan.firstLine, manifest.shard.lastLine == plan.lastLine else {
                throw CLIError("\(spec.manifestName) covers lines \(manifest.shard.firstLine)–\(manifest.shard.lastLine), expected \(plan.firstLine)–\(plan.lastLine) of \(lines)")
            }
            let recorded = Dictionary(manifest.parts.map { ($0.number, $0) }) { first, _ in first }
            guard recorded.count == manifest.parts.count, manifest.parts.map(\.number) == manifest.parts.map(\.number).sorted() else {
                throw CLIError("\(spec.manifestName) lists a part twice or out of order")
            }
            for part in plan.parts {
                let file = plan.fileName(of: part, format: format)
                guard let entry = recorded[part.number] else {
                    throw CLIError("shard \(spec) is incomplete: part \(part.number) (lines \(part.firstLine)–\(part.lastLine), \(file)) is not done; run embed encode --shard \(spec) again with the same arguments")
                }
                guard entry.firstLine == part.firstLine, entry.lastLine == part.lastLine, entry.count == part.count, entry.file == file,
                    entry.idsFile == plan.idsFileName(of: part, format: format)
                else { throw CLIError("\(spec.manifestName): part \(part.number) does not match the plan of lines \(part.firstLine)–\(part.lastLine)") }
            }
            guard manifest.parts.count == plan.parts.count else {
                throw CLIError("\(spec.manifestName) lists \(manifest.parts.count) parts, expected \(plan.parts.count)")
            }
        }
    }

    /// Checks that every part's files are there, then hashes them against the manifests.
    func verify() throws {
        var files: [(name: String, sha256: String?, part: ShardManifest.Part)] = []
        for part in parts {
            files.append((part.file, part.sha256, part))
            if let ids = part.idsFile { files.append((ids, part.idsSHA256, part)) }
        }
        for (name, _, part) in files where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
            throw CLIError("missing part \(name) (lines \(part.firstLine)–\(part.lastLine)) in \(folder.path); rerun its shard with the same arguments")
        }
        for (name, expected, part) in files {
            let url = folder.appendingPathComponent(name)
            guard let actual = Digest.sha256(of: url) else { throw CLIError("cannot read part \(url.path)") }
            guard actual == expected else {
                throw CLIError("corrupt part \(name) (lines \(part.firstLine)–\(part.lastLine)): its SHA-256 is \(actual), the manifest says \(expected ?? "none"); rerun its shard with the same arguments to recompute it")
            }
        }
    }

    /// JSON lines: the parts one after the other into `sink`.
    func writeJSONLines(to sink: (Data) throws -> Void) throws {
        for part in parts { try copy(folder.appendingPathComponent(part.file), from: 0, to: sink) }
    }

    /// `.npy`: one array of (lines, dimension) float32 into `vectors`, the line numbers into `ids`.
    func writeNPY(vectors: AtomicFile, ids: AtomicFile) throws {
        let dimension = first.fingerprint.dimension
        try vectors.write(NPY.header(.float32, shape: [lines, dimension]))
        try ids.write(NPY.header(.int64, shape: [lines]))
        for part in parts {
            for (name, element, shape, sink) in [
                (part.file, NPY.Element.float32, [part.count, dimension], vectors), (part.idsFile ?? "", .int64, [part.count], ids),
            ] {
                let url = folder.appendingPathComponent(name)
                let header = try NPY.parseHeader(try Self.prefix(of: url, bytes: 4096), name: name)
                guard header.element == element, header.shape == shape else {
                    throw CLIError("\(name): expected \(element.rawValue) of shape \(shape), its header says \(header.element.rawValue) of \(header.shape)")
                }
                try copy(url, from: header.dataOffset) { try sink.write(Array($0)) }
            }
        }
    }

    private func copy(_ url: URL, from offset: Int, to sink: (Data) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw CLIError("cannot read part \(url.path)") }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(offset))
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { try sink(chunk) }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot read part \(url.path): \(error.localizedDescription)")
        }
    }

    static func prefix(of url: URL, bytes: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw CLIError("cannot read part \(url.path)") }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: bytes)) ?? Data())
    }
}
