import Crypto
import Foundation

/// A file written to `<name>.partial`, hashed as it is written, then synced to disk and
/// renamed to `<name>`: a file under its final name is always complete.
final class AtomicFile {
    let url: URL
    let partialURL: URL
    private let handle: FileHandle
    private var hasher = SHA256()

    init(_ url: URL) throws {
        self.url = url
        partialURL = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".partial")
        guard FileManager.default.createFile(atPath: partialURL.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: partialURL.path)
        else { throw CLIError("cannot create \(partialURL.path)") }
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        let data = Data(bytes)
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw CLIError("cannot write \(partialURL.path): \(error.localizedDescription)")
        }
        hasher.update(data: data)
    }

    /// Syncs, closes and renames; returns the SHA-256 of what was written.
    func commit() throws -> String {
        do {
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: partialURL, to: url)
        } catch {
            throw CLIError("cannot finish \(url.path): \(error.localizedDescription)")
        }
        // The rename itself reaches the disk when the folder is synced (where the system allows it).
        if let folder = FileHandle(forReadingAtPath: url.deletingLastPathComponent().path) {
            try? folder.synchronize()
            try? folder.close()
        }
        return Digest.hex(hasher.finalize())
    }

    /// Closes and deletes the `.partial` file.
    func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(at: partialURL)
    }

    /// Writes `bytes` to `url` atomically.
    static func write(_ bytes: [UInt8], to url: URL) throws {
        let file = try AtomicFile(url)
        do {
            try file.write(bytes)
            _ = try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }
}

/// One part of a shard being written: JSON lines, or an `.npy` of float32 rows and an
/// `.ids.npy` of the rows' input line numbers (int64). Rows must come in line order and
/// fill exactly the part's planned lines.
final class PartWriter {
    let part: PartPlan
    let dimension: Int
    private let file: AtomicFile
    private let ids: AtomicFile?
    private var written = 0

    init(part: PartPlan, plan: ShardPlan, format: OutputFormat, dimension: Int, folder: URL) throws {
        self.part = part
        self.dimension = dimension
        file = try AtomicFile(folder.appendingPathComponent(plan.fileName(of: part, format: format)))
        ids = try plan.idsFileName(of: part, format: format).map { try AtomicFile(folder.appendingPathComponent($0)) }
        if let ids {
            try file.write(NPY.header(.float32, shape: [part.count, dimension]))
            try ids.write(NPY.header(.int64, shape: [part.count]))
        }
    }

    /// Appends the vectors of the next `vectors.count` lines.
    func write(_ vectors: [[Float]]) throws {
        guard written + vectors.count <= part.count else {
            throw CLIError("internal error: \(vectors.count) more rows for \(file.url.lastPathComponent), which holds \(part.count)")
        }
        var bytes: [UInt8] = []
        var lineNumbers: [UInt8] = []
        for (offset, vector) in vectors.enumerated() {
            let line = part.firstLine + written + offset
            guard vector.count == dimension else {
                throw CLIError("line \(line): the model returned \(vector.count) values, expected \(dimension)")
            }
            guard vector.allSatisfy(\.isFinite) else { throw CLIError("line \(line): the model produced a non-finite value") }
            if ids != nil {
                NPY.append(vector, to: &bytes)
                NPY.append(int64: Int64(line), to: &lineNumbers)
            } else {
                bytes.append(contentsOf: (try StandardOutput.json(vector) + "\n").utf8)
            }
        }
        try file.write(bytes)
        try ids?.write(lineNumbers)
        written += vectors.count
    }

    /// Finishes the part's files (the ids first) and describes them for the manifest.
    func commit() throws -> ShardManifest.Part {
        guard written == part.count else {
            throw CLIError("internal error: \(file.url.lastPathComponent) has \(written) rows, expected \(part.count)")
        }
        let idsSHA256 = try ids?.commit()
        let sha256 = try file.commit()
        return ShardManifest.Part(
            number: part.number, file: file.url.lastPathComponent, firstLine: part.firstLine, lastLine: part.lastLine,
            count: part.count, sha256: sha256, idsFile: ids?.url.lastPathComponent, idsSHA256: idsSHA256)
    }

    func abandon() {
        file.abandon()
        ids?.abandon()
    }
}
