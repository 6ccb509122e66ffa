import EmbedCore
public import Foundation
public import Logging

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Model ids (`sentence-transformers/all-MiniLM-L6-v2`) resolved to local model folders,
/// downloading what is missing from a Hugging Face compatible hub into a cache shared with
/// the Python tools.
///
/// Only what an embedding needs is fetched: the tokenizer and configuration files, the
/// sentence-transformers module configurations and one ONNX file (with its external-data
/// file when it has one). Each file is downloaded to `<etag>.incomplete`, resumed with HTTP
/// ranges after an interruption, checked against the hub's checksum and only then renamed
/// into place; a lock per file keeps concurrent processes from writing the same blob.
public struct ModelStore: Sendable {
    /// Where models come from and where they are kept.
    public let configuration: HubConfiguration
    let logger: Logger
    private let client: HubClient

    /// The configuration files fetched next to the model when the repository has them.
    static let configurationFiles = [
        "tokenizer.json", "config.json", "tokenizer_config.json", "special_tokens_map.json",
        "sentence_bert_config.json", "modules.json", "config_sentence_transformers.json", "quantization_config.json",
        "preprocessor_config.json",
    ]

    /// Creates a store.
    public init(configuration: HubConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        client = HubClient(configuration: configuration)
    }

    /// The model as the cache holds it, without any network access, if it is complete.
    public func cached(_ id: ModelID, revision: Revision = .main, variant: ONNXVariant = .auto(preferQuantized: false)) -> ResolvedModel? {
        let cache = HubCache(root: configuration.cacheDirectory, id: id)
        guard let commit = cache.commit(for: revision) else { return nil }
        if Self.isCLIP({ cache.hasFile($0, commit: commit) }) { return cachedCLIP(id, revision: revision, commit: commit, variant: variant) }
        guard cache.hasFile("tokenizer.json", commit: commit),
            let onnx = variant.candidates.filter(RepositoryPath.isSafe).first(where: { cache.hasFile($0, commit: commit) })
        else { return nil }
        let folder = cache.snapshot(commit)
        for module in Self.modules(in: folder) where !cache.hasFile(module, commit: commit) { return nil }
        for data in Self.externalData(of: onnx, in: folder) where !cache.hasFile(data, commit: commit) { return nil }
        return ResolvedModel(id: id, revision: revision, commit: commit, folder: folder, onnxFile: onnx, downloaded: [])
    }

    /// Resolves `id` to a local folder. From the cache when it is complete there (unless
    /// `refresh`), else from the hub; in offline mode only from the cache.
    public func resolve(
        _ id: ModelID, revision: Revision = .main, variant: ONNXVariant = .auto(preferQuantized: false),
        refresh: Bool = false, progress: (@Sendable (DownloadProgress) -> Void)? = nil
    ) async throws(HubError) -> ResolvedModel {
        if !refresh || configuration.offline, let cached = cached(id, revision: revision, variant: variant) {
            logger.debug("\(id) (\(revision)) from the cache: \(cached.folder.path)")
            return cached
        }
        if configuration.offline {
            throw HubError(
                .notCached,
                "\(id) (revision \(revision), \(variant)) is not in the cache \(configuration.cacheDirectory.path) and offline mode "
                    + "is on (HF_HUB_OFFLINE or the offline setting): run `embed pull \(id)` with network access first")
        }
        let info = try await client.repositoryInfo(id, revision: revision)
        if Self.isCLIP({ info.files[$0] != nil }) {
            return try await resolveCLIP(id, revision: revision, info: info, variant: variant, progress: progress)
        }
        guard info.files["tokenizer.json"] != nil else {
            throw HubError(.notFound, "\(id) has no tokenizer.json: only models with a Hugging Face tokenizer.json can be used")
        }
        guard let onnx = variant.candidates.first(where: { info.files[$0] != nil }) else {
            let present = info.files.keys.filter { $0.hasSuffix(".onnx") }.sorted()
            throw HubError(
                .noONNXModel,
                "\(id) has no \(variant) ONNX model (looked for \(variant.candidates.joined(separator: ", "))"
                    + (present.isEmpty ? "; the repository has no .onnx file" : "; it has \(present.joined(separator: ", "))")
                    + "). Export it to ONNX first: scripts/prepare_model.py shows how.")
        }
        let cache = HubCache(root: configuration.cacheDirectory, id: id)
        var downloaded: [String] = []
        func fetch(_ path: String) async throws(HubError) {
            guard let file = info.files[path] else {
                throw HubError(.notFound, "\(id) lists no file \(path) at commit \(info.commit)")
            }
            if try await download(file, id: id, commit: info.commit, cache: cache, progress: progress) {
                downloaded.append(path)
            }
        }
        for path in Self.configurationFiles where info.files[path] != nil { try await fetch(path) }
        let folder = cache.snapshot(info.commit)
        for path in Self.modules(in: folder) + Self.moduleWeights(in: folder) where info.files[path] != nil {
            try await fetch(path)
        }
        try await fetch(onnx)
        for path in Self.externalData(of: onnx, in: folder) { try await fetch(path) }
        try cache.setCommit(info.commit, for: revision)
        logger.info("\(id) (\(revision) → \(info.commit.prefix(10))): \(onnx), \(downloaded.count) file(s) downloaded")
        return ResolvedModel(id: id, revision: revision, commit: info.commit, folder: folder, onnxFile: onnx, downloaded: downloaded)
    }

    /// Downloads one file into the cache unless its blob is there; returns whether it downloaded.
    func download(
        _ file: HubClient.RemoteFile, id: ModelID, commit: String, cache: HubCache,
        progress: (@Sendable (DownloadProgress) -> Void)?
    ) async throws(HubError) -> Bool {
        guard let checksum = file.checksum else {
            throw HubError(.network, "the hub gave no checksum for \(id)/\(file.path): it cannot be checked")
        }
        let blob = cache.blob(checksum.etag)
        if FileManager.default.fileExists(atPath: blob.path) {
            try cache.link(file.path, commit: commit, etag: checksum.etag)
            return false
        }
        return try await FileLock.withLock(cache.lock(checksum.etag)) {
            logger.notice("waiting for another process downloading \(id)/\(file.path)")
        } _: { () async throws(HubError) -> Bool in
            try await downloadLocked(file, checksum: checksum, id: id, commit: commit, cache: cache, progress: progress)
        }
    }

    /// The download itself, with the blob's lock held.
    private func downloadLocked(
        _ file: HubClient.RemoteFile, checksum: Checksum, id: ModelID, commit: String, cache: HubCache,
        progress: (@Sendable (DownloadProgress) -> Void)?
    ) async throws(HubError) -> Bool {
        let blob = cache.blob(checksum.etag)
        if FileManager.default.fileExists(atPath: blob.path) {
            try cache.link(file.path, commit: commit, etag: checksum.etag)
            return false
        }
        let incomplete = cache.incompleteBlob(checksum.etag)
        do {
            try FileManager.default.createDirectory(at: incomplete.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw HubError(.io, "cannot create \(incomplete.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
        let request = try client.fileRequest(id, commit: commit, path: file.path)
        let path = file.path
        let report: @Sendable (Int64, Int64?, Double) -> Void = { bytes, total, rate in
            progress?(DownloadProgress(file: path, bytes: bytes, total: total ?? file.size, bytesPerSecond: rate, finished: false))
        }
        var attempt = 0
        while true {
            attempt += 1
            let outcome = await FileDownload.run(request, into: incomplete, progress: report)
            switch outcome {
            case .completed(let bytes):
                if let size = file.size, size != bytes {
                    try? FileManager.default.removeItem(at: incomplete)
                    throw HubError(.checksumMismatch, "\(id)/\(file.path): received \(bytes) bytes, the hub lists \(size)")
                }
                guard try checksum.verify(incomplete) else {
                    try? FileManager.default.removeItem(at: incomplete)
                    throw HubError(
                        .checksumMismatch,
                        "\(id)/\(file.path) does not match its \(checksum): the download was corrupted and was deleted")
                }
                do {
                    try FileManager.default.moveItem(at: incomplete, to: blob)
                } catch {
                    throw HubError(.io, "cannot move \(incomplete.path) into place: \(error.localizedDescription)")
                }
                try cache.link(file.path, commit: commit, etag: checksum.etag)
                progress?(DownloadProgress(file: path, bytes: bytes, total: bytes, bytesPerSecond: 0, finished: true))
                return true
            case .status(416) where attempt < 3:
                // What is on disk does not fit the file (it changed?): start again.
                try? FileManager.default.removeItem(at: incomplete)
            case .status(let status):
                throw client.statusError(status, what: "\(id)/\(file.path)", url: request.url ?? configuration.endpoint)
            case .interrupted(let bytes, let reason):
                guard attempt < 3 else {
                    throw HubError(
                        .network,
                        "downloading \(id)/\(file.path) failed after \(bytes) bytes (\(reason)); run the command again to resume")
                }
                logger.warning("\(id)/\(file.path): \(reason) after \(bytes) bytes; resuming (attempt \(attempt + 1) of 3)")
            }
        }
    }

    /// Module configuration files that `modules.json` in `folder` refers to.
    static func modules(in folder: URL) -> [String] {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("modules.json")),
            let modules = try? JSONDecoder().decode([SentenceTransformersModule].self, from: data)
        else { return [] }
        return modules.compactMap { module in
            guard module.kind != .transformer, module.kind != .normalize, !module.path.isEmpty else { return nil }
            let path = module.path + "/config.json"
            return RepositoryPath.isSafe(path) ? path : nil
        }
    }

    /// The weights of the `Dense` modules `modules.json` in `folder` refers to (the engine runs
    /// them after pooling). Fetched when the repository has them; a cached model without them
    /// still loads, and the engine says what is missing if it needs them.
    static func moduleWeights(in folder: URL) -> [String] {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("modules.json")),
            let modules = try? JSONDecoder().decode([SentenceTransformersModule].self, from: data)
        else { return [] }
        return modules.compactMap { module in
            guard module.kind == .dense, !module.path.isEmpty else { return nil }
            let path = module.path + "/model.safetensors"
            return RepositoryPath.isSafe(path) ? path : nil
        }
    }

    /// The external-data files an ONNX file in `folder` uses, as repository paths.
    static func externalData(of onnx: String, in folder: URL) -> [String] {
        guard let bytes = try? Data(contentsOf: folder.appendingPathComponent(onnx), options: .alwaysMapped),
            let scan = try? ONNXGraphScan(bytes: bytes)
        else { return [] }
        let directory = (onnx as NSString).deletingLastPathComponent
        return scan.externalDataFiles.sorted().compactMap { file in
            let path = directory.isEmpty ? file : directory + "/" + file
            return RepositoryPath.isSafe(path) ? path : nil
        }
    }
}

/// A model resolved to a local folder in the usual layout.
public struct ResolvedModel: Sendable, Equatable {
    /// The model id.
    public var id: ModelID
    /// The revision asked for.
    public var revision: Revision
    /// The commit it resolved to.
    public var commit: String
    /// The snapshot folder (links into the cache's blobs).
    public var folder: URL
    /// The chosen ONNX file, relative to ``folder``; for a CLIP model its towers' files,
    /// separated by commas (as `onnx.model_path` lists them).
    public var onnxFile: String
    /// The files downloaded by this call (empty when everything came from the cache).
    public var downloaded: [String]
}
