import Foundation

/// The images `embed bench --images DIR` measures: the JPEG, PNG and WebP files under the
/// folder (recursively, sorted by path), read into memory before anything is timed.
struct BenchImages {
    /// Extensions (any case) of the files taken.
    static let extensions: Set<String> = ["jpg", "jpeg", "png", "webp"]

    /// Each file's path (the folder's path joined with its path under the folder) and bytes.
    var files: [(path: String, data: Data)]

    var bytes: Int { files.reduce(0) { $0 + $1.data.count } }

    /// The first `limit` image files under `folder` in path order, each read with the size
    /// checked against `maxBytes` first.
    static func read(_ folder: String, limit: Int, maxBytes: Int) throws -> BenchImages {
        guard MixedInputs.isFolder(folder) else {
            throw CLIError("--images \(folder): no such folder")
        }
        let paths = try list(folder).prefix(limit)
        guard !paths.isEmpty else { throw CLIError("--images \(folder): no .jpg, .jpeg, .png or .webp files in it") }
        return BenchImages(files: try paths.map { ($0, try ImageFiles.read($0, limit: maxBytes)) })
    }

    /// The image files under `folder`, sorted by their path under it.
    static func list(_ folder: String) throws -> [String] {
        guard let all = FileManager.default.subpaths(atPath: folder) else { throw CLIError("--images \(folder): cannot list the folder") }
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        return all.filter { extensions.contains(MixedInputs.pathExtension($0).lowercased()) }.sorted().map { base + $0 }.filter(MixedInputs.isRegularFile)
    }
}
