import Foundation
import Logging

extension ModelStore {
    /// Whether a repository (or a cached snapshot) is a CLIP model, from its files: a
    /// `preprocessor_config.json` (every CLIP repository with a vision tower has one) or a
    /// split tower's file. The engine then checks `config.json`'s `model_type` when it loads.
    static func isCLIP(_ has: (String) -> Bool) -> Bool {
        has("preprocessor_config.json") || has("onnx/text_model.onnx") || has("onnx/vision_model.onnx")
    }

    /// A cached CLIP snapshot, when `config.json` and the ONNX files of the first layout
    /// present (``CLIPLayout``), with their external data, are all there.
    func cachedCLIP(_ id: ModelID, revision: Revision, commit: String, variant: ONNXVariant) -> ResolvedModel? {
        let cache = HubCache(root: configuration.cacheDirectory, id: id)
        guard cache.hasFile("config.json", commit: commit),
            let onnx = CLIPLayout.files(variant, exists: { RepositoryPath.isSafe($0) && cache.hasFile($0, commit: commit) })
        else { return nil }
        let folder = cache.snapshot(commit)
        for file in onnx {
            for data in Self.externalData(of: file, in: folder) where !cache.hasFile(data, commit: commit) { return nil }
        }
        return ResolvedModel(
            id: id, revision: revision, commit: commit, folder: folder, onnxFile: onnx.joined(separator: ","), downloaded: [])
    }

    /// Downloads a CLIP repository: its configuration files (`preprocessor_config.json`
    /// included; `tokenizer.json` when it has a text tower), then the ONNX files of the first
    /// layout ``CLIPLayout`` finds for `variant`, with their external data. The resolved
    /// ``ResolvedModel/onnxFile`` lists them separated by commas, as `onnx.model_path` does.
    func resolveCLIP(
        _ id: ModelID, revision: Revision, info: HubClient.RepositoryInfo, variant: ONNXVariant,
        progress: (@Sendable (DownloadProgress) -> Void)?
    ) async throws(HubError) -> ResolvedModel {
        guard info.files["config.json"] != nil else {
            throw HubError(.notFound, "\(id) looks like a CLIP model (it has preprocessor_config.json) but has no config.json")
        }
        guard let onnx = CLIPLayout.files(variant, exists: { info.files[$0] != nil }) else {
            let looked = (CLIPLayout.candidateSets(variant) ?? []).map { $0.joined(separator: " + ") }.joined(separator: ", ")
            let present = info.files.keys.filter { $0.hasSuffix(".onnx") }.sorted()
            throw HubError(
                .noONNXModel,
                "\(id) is a CLIP model without \(variant) ONNX files (looked for \(looked.isEmpty ? "none: fp16 CLIP files are not supported" : looked)"
                    + (present.isEmpty ? "; the repository has no .onnx file" : "; it has \(present.joined(separator: ", "))") + ")")
        }
        let cache = HubCache(root: configuration.cacheDirectory, id: id)
        var downloaded: [String] = []
        func fetch(_ path: String) async throws(HubError) {
            guard let file = info.files[path] else { throw HubError(.notFound, "\(id) lists no file \(path) at commit \(info.commit)") }
            if try await download(file, id: id, commit: info.commit, cache: cache, progress: progress) { downloaded.append(path) }
        }
        for path in Self.configurationFiles where info.files[path] != nil { try await fetch(path) }
        let folder = cache.snapshot(info.commit)
        for file in onnx {
            try await fetch(file)
            for path in Self.externalData(of: file, in: folder) { try await fetch(path) }
        }
        try cache.setCommit(info.commit, for: revision)
        logger.info("\(id) (\(revision) → \(info.commit.prefix(10))): CLIP, \(onnx.joined(separator: " + ")), \(downloaded.count) file(s) downloaded")
        return ResolvedModel(
            id: id, revision: revision, commit: info.commit, folder: folder, onnxFile: onnx.joined(separator: ","),
            downloaded: downloaded)
    }
}
