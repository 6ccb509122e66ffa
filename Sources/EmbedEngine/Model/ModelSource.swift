public import EmbedHub
public import Foundation

/// Where a model comes from.
public enum ModelSource: Sendable, Equatable, CustomStringConvertible {
    /// A folder in the Hugging Face / sentence-transformers layout (`tokenizer.json`,
    /// `onnx/model.onnx` or `model.onnx`, `1_Pooling/config.json`, `modules.json`, …).
    case folder(URL)
    /// A single ONNX file and the `tokenizer.json` to use with it.
    case onnxFile(URL, tokenizer: URL)
    /// A model on a Hugging Face compatible hub, downloaded into the shared cache on first use
    /// (see ``EmbedderConfiguration/hub``) and read from there afterwards, offline included.
    case hub(ModelID, revision: Revision)

    /// A folder, or an `.onnx` file whose tokenizer is `tokenizer`, or, when `tokenizer` is
    /// `nil`, the `tokenizer.json` next to the file (or one folder up, for `onnx/model.onnx`).
    public static func path(_ path: String, tokenizer: String? = nil) throws(EmbedError) -> ModelSource {
        let url = URL(fileURLWithPath: path)
        guard let kind = FileKind(of: url) else {
            throw EmbedError(.modelNotFound, "no model at \(path): no such file or folder")
        }
        if kind == .directory {
            if let tokenizer {
                throw EmbedError(
                    .invalidConfiguration,
                    "a tokenizer path (\(tokenizer)) is only used with a single .onnx file; \(path) is a folder")
            }
            return .folder(url)
        }
        if let tokenizer { return .onnxFile(url, tokenizer: URL(fileURLWithPath: tokenizer)) }
        let folder = url.deletingLastPathComponent()
        for candidate in [folder, folder.deletingLastPathComponent()] {
            let file = candidate.appendingPathComponent("tokenizer.json")
            if FileKind(of: file) == .file { return .onnxFile(url, tokenizer: file) }
        }
        throw EmbedError(
            .modelNotFound, "no tokenizer.json next to \(path): pass the tokenizer's path (--tokenizer)")
    }

    /// What a user typed: a local path when one exists (as sentence-transformers does), else
    /// a hub model id such as `sentence-transformers/all-MiniLM-L6-v2`.
    public static func named(_ name: String, revision: String? = nil, tokenizer: String? = nil) throws(EmbedError) -> ModelSource {
        if FileKind(of: URL(fileURLWithPath: name)) != nil || name.hasPrefix("/") || name.hasPrefix(".") {
            if let revision, revision != Revision.main.value {
                throw EmbedError(.invalidConfiguration, "a revision (\(revision)) only applies to hub models; \(name) is a local path")
            }
            return try path(name, tokenizer: tokenizer)
        }
        let id: ModelID
        let parsedRevision: Revision
        do {
            id = try ModelID(name)
            parsedRevision = try revision.map(Revision.init) ?? .main
        } catch {
            throw EmbedError(
                .modelNotFound, "no model at \(name): no such file or folder, and not a hub model id (\(error.message))",
                underlying: error)
        }
        if let tokenizer {
            throw EmbedError(.invalidConfiguration, "a tokenizer path (\(tokenizer)) is only used with a single .onnx file")
        }
        return .hub(id, revision: parsedRevision)
    }

    /// The path or model id shown to users.
    public var description: String {
        switch self {
        case .folder(let url): url.path
        case .onnxFile(let url, _): url.path
        case .hub(let id, let revision): revision == .main ? id.description : "\(id)@\(revision)"
        }
    }
}

/// Whether a path is a file or a folder (following symbolic links), `nil` when it does not exist.
enum FileKind: Equatable {
    case file
    case directory

    init?(of url: URL) {
        guard let values = try? url.resolvingSymlinksInPath().resourceValues(forKeys: [.isDirectoryKey]),
            let isDirectory = values.isDirectory
        else { return nil }
        self = isDirectory ? .directory : .file
    }
}
