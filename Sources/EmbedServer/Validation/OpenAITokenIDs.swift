public import EmbedTokenizers
public import Foundation

/// What token-id arrays on the OpenAI route (`/v1/embeddings`) are.
public enum OpenAITokenIDs: String, Sendable, Equatable, CaseIterable {
    /// OpenAI's `cl100k_base` ids, as LangChain's `OpenAIEmbeddings` sends by default: decoded
    /// to text (``TiktokenDecoder``) and embedded with the model's own tokenizer. Without a
    /// `cl100k_base.tiktoken` file such requests are refused (400), never embedded as model ids.
    case cl100k = "cl100k_base"
    /// The served model's own ids, as TEI's `/embed` always takes them.
    case model
}

/// Where `cl100k_base.tiktoken` is looked for, in this order: ``path``; the project's
/// `.cache/tiktoken/cl100k_base.tiktoken` (what `make setup` installs), from the current
/// folder and the executable's folder upwards; tiktoken's own cache (`TIKTOKEN_CACHE_DIR`,
/// `DATA_GYM_CACHE_DIR`, or `data-gym-cache` in the temporary folder), where Python users
/// of tiktoken already have it, under the SHA-1 of its download URL.
public struct TiktokenFileSearch: Sendable, Equatable {
    /// An explicit file; when set, nothing else is searched and a missing file is an error.
    public var path: String?
    /// The environment to read tiktoken's cache variables from.
    public var environment: [String: String]
    /// Whether the project's and tiktoken's folders are searched when ``path`` is not set.
    public var searchDefaultLocations: Bool

    /// The name of the file in tiktoken's cache: the SHA-1 of
    /// `https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken`.
    public static let tiktokenCacheName = "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"
    /// The project's copy, relative to a checkout.
    public static let projectFile = ".cache/tiktoken/cl100k_base.tiktoken"

    /// Creates a search.
    public init(
        path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        searchDefaultLocations: Bool = true
    ) {
        self.path = path
        self.environment = environment
        self.searchDefaultLocations = searchDefaultLocations
    }

    /// The places searched, in order.
    public var candidates: [URL] {
        if let path { return [URL(fileURLWithPath: path)] }
        guard searchDefaultLocations else { return [] }
        var folders: [URL] = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(executable.deletingLastPathComponent())
        }
        var result: [URL] = []
        for start in folders {
            var folder = start.standardizedFileURL
            while true {
                result.append(folder.appendingPathComponent(Self.projectFile))
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        let tiktoken = environment["TIKTOKEN_CACHE_DIR"] ?? environment["DATA_GYM_CACHE_DIR"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("data-gym-cache").path
        result.append(URL(fileURLWithPath: tiktoken).appendingPathComponent(Self.tiktokenCacheName))
        return result
    }

    /// The decoder of the first file found; `nil` when none exists (and no ``path`` was given).
    public func load() throws(TokenizerError) -> (decoder: TiktokenDecoder, file: URL)? {
        for url in candidates where FileManager.default.fileExists(atPath: url.path) {
            let decoder = try TiktokenDecoder.cl100k(contentsOf: url)
            guard decoder.vocabularySize == 100_256 + TiktokenDecoder.cl100kSpecialTokens.count else {
                throw TokenizerError(
                    .invalidFormat, "\(url.path) has \(decoder.vocabularySize) tokens; cl100k_base has 100,261")
            }
            return (decoder, url)
        }
        if let path { throw TokenizerError(.unreadable, "no cl100k_base.tiktoken at \(path)") }
        return nil
    }
}
