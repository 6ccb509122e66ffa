import Foundation

/// Whether a path is a file or a folder (following symbolic links), `nil` when it does not
/// exist (or cannot be followed).
enum FileKind: Equatable {
    case file
    case directory

    init?(of url: URL) {
        // Foundation resolves a link loop to the link itself, which it then calls a file.
        guard case .target(let target) = Self.follow(url),
            let values = try? target.resolvingSymlinksInPath().resourceValues(forKeys: [.isDirectoryKey]),
            let isDirectory = values.isDirectory
        else { return nil }
        self = isDirectory ? .directory : .file
    }

    /// Where a chain of symbolic links ends.
    private enum Followed {
        case target(URL)
        case loop
        case dangling(String)
    }

    private static func follow(_ url: URL) -> Followed {
        let manager = FileManager.default
        var path = url.standardizedFileURL.path
        var seen: Set<String> = []
        while let target = try? manager.destinationOfSymbolicLink(atPath: path) {
            guard seen.insert(path).inserted, seen.count <= 40 else { return .loop }
            let next = target.hasPrefix("/") ? target : (path as NSString).deletingLastPathComponent + "/" + target
            path = URL(fileURLWithPath: next).standardizedFileURL.path
            if !manager.fileExists(atPath: path), (try? manager.destinationOfSymbolicLink(atPath: path)) == nil {
                return .dangling(target)
            }
        }
        return .target(URL(fileURLWithPath: path))
    }

    /// Why a path is not what was wanted, said for a user after the path.
    struct Problem: CustomStringConvertible {
        /// "is a folder, not a file", "is a symbolic link loop", "does not exist"…
        var description: String
        /// Nothing at all is there (no link, no file): the plain "not found" case.
        var isAbsence: Bool
    }

    /// Why `url` is not a `wanted` path; `nil` when it is.
    static func problem(with url: URL, wanted: FileKind) -> Problem? {
        switch FileKind(of: url) {
        case wanted?: return nil
        case .directory?: return Problem(description: "is a folder, not a file", isAbsence: false)
        case .file?: return Problem(description: "is a file, not a folder", isAbsence: false)
        case nil:
            let reason = missing(url)
            return Problem(description: reason ?? "does not exist", isAbsence: reason == nil)
        }
    }

    /// Why a path that cannot be followed is missing: a link loop or a dangling link (the
    /// first one met on the way, itself or a folder above it); `nil`: nothing is there at all.
    private static func missing(_ url: URL) -> String? {
        switch follow(url) {
        case .loop: return "is a symbolic link loop"
        case .dangling(let target): return "is a symbolic link to \(target), which does not exist"
        case .target:
            var parent = url.standardizedFileURL.deletingLastPathComponent()
            while parent.path != "/" && !parent.path.isEmpty {
                if case .target = follow(parent) {} else {
                    return "cannot be reached: \(parent.path) \(missing(parent) ?? "does not exist")"
                }
                parent = parent.deletingLastPathComponent()
            }
            return nil
        }
    }
}
