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
            let problem = FileKind.problem(with: url, wanted: .file)
            throw EmbedError(
                .modelNotFound, "no model at \(path): it \(problem.map { $0.isAbsence ? "is no file or folder" : "\($0)" } ?? "is no file or folder")")
        }
        if kind == .directory {
            if let tokenizer {
                throw EmbedError(
                    .invalidConfiguration,
                    "a tokenizer path (\(tokenizer)) is only used with a single .onnx file; \(path) is a folder")
            }
            return .folder(url)
        }
        if let tokenizer {
            let file = URL(fileURLWithPath: tokenizer)
            if let problem = FileKind.problem(with: file, wanted: .file) {
                throw EmbedError(.modelNotFound, "the tokenizer \(tokenizer) \(problem)")
            }
            return .onnxFile(url, tokenizer: file)
        }
        let folder = url.deletingLastPathComponent()
        var unusable: [String] = []
        for candidate in [folder, folder.deletingLastPathComponent()] {
            let file = candidate.appendingPathComponent("tokenizer.json")
            guard let problem = FileKind.problem(with: file, wanted: .file) else { return .onnxFile(url, tokenizer: file) }
            if !problem.isAbsence { unusable.append("\(file.path) \(problem)") }
        }
        throw EmbedError(
            .modelNotFound,
            "no tokenizer.json next to \(path)" + unusable.map { "; \($0)" }.joined() + ": pass the tokenizer's path (--tokenizer)")
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
