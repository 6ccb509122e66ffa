import Crypto
import EmbedCore
public import EmbedEngine
import Foundation

/// What makes two processes' vectors of one input the same, as a SHA-256: the contents of
/// the files that shape a vector and the loaded model's description. Replicas that load the
/// same files with the same engine share entries; any change of file, engine, precision,
/// pooling, normalisation, maximum length or output modules gives other keys.
///
/// Files hashed: the ONNX file of each tower (and its external-data companions, files
/// beside it whose names start with its own), `tokenizer.json`, the model folder's
/// top-level `.json` files (configuration, prompts, modules) and the files of its
/// numbered module folders (`1_Pooling`, `2_Dense`…).
public struct ModelIdentity: Sendable, Equatable {
    /// The SHA-256.
    public let digest: [UInt8]

    /// The first 16 hex digits, shown in keys (`<prefix>:<tier>:<this>:<input digest>`).
    public var shortHex: String { digest.prefix(8).map { String(format: "%02x", $0) }.joined() }

    /// The identity of `info`'s model; reads the files off Swift's cooperative pool.
    public static func of(_ info: ModelInfo) async throws -> ModelIdentity {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try compute(info) })
            }
        }
    }

    init(digest: [UInt8]) { self.digest = digest }

    static func compute(_ info: ModelInfo) throws -> ModelIdentity {
        var hasher = SHA256()
        func field(_ name: String, _ value: String) {
            hasher.update(data: Data("\(name)=\(value.utf8.count):\(value);".utf8))
        }
        field("format", "swift-embed.model.v1")
        field("engine", info.engine)
        field("precision", info.runtime?.inferencePrecision ?? "")
        field("dimension", String(info.dimension))
        field("pooling", info.pooling?.description ?? "none")
        field("normalize", String(info.normalize))
        field("max_length", String(info.maxLength.value))
        field("modules", info.outputModules.joined(separator: "|"))
        for file in try files(of: info) {
            field("file", file.lastPathComponent)
            try hashContents(of: file, into: &hasher)
        }
        return ModelIdentity(digest: Array(hasher.finalize()))
    }

    /// The files hashed, sorted by path, without repeats.
    static func files(of info: ModelInfo) throws -> [URL] {
        let manager = FileManager.default
        var files: Set<URL> = []
        var onnx = info.towers.map(\.path)
        if let path = info.runtime?.onnxPath { onnx.append(path) }
        for path in onnx {
            let url = URL(fileURLWithPath: path)
            let folder = url.deletingLastPathComponent()
            for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(url.lastPathComponent) {
                files.insert(folder.appendingPathComponent(name))
            }
        }
        if let tokenizer = info.runtime?.tokenizerPath { files.insert(URL(fileURLWithPath: tokenizer)) }
        if !info.path.isEmpty, isDirectory(URL(fileURLWithPath: info.path)) {
            let root = URL(fileURLWithPath: info.path)
            for name in try manager.contentsOfDirectory(atPath: root.path) {
                let url = root.appendingPathComponent(name)
                if name.hasSuffix(".json") {
                    files.insert(url)
                } else if name.first?.isNumber == true, name.contains("_") {
                    for inner in (try? manager.contentsOfDirectory(atPath: url.path)) ?? [] {
                        files.insert(url.appendingPathComponent(inner))
                    }
                }
            }
        }
        return files.filter { !isDirectory($0) }.sorted { $0.path < $1.path }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true
    }

    private static func hashContents(of url: URL, into hasher: inout SHA256) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
    }

    /// The digest of one input under this model: SHA-256 of the model's digest and the
    /// key's canonical bytes.
    public func digest(of key: SharedCacheKey) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: digest)
        hasher.update(data: key.canonicalBytes)
        return Array(hasher.finalize())
    }
}
