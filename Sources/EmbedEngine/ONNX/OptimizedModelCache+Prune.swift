import Foundation
import Logging

extension OptimizedModelCache {
    /// Removes the entries that no load can use any more, after `kept` was saved from
    /// `source`: those made from the same model path with the same runtime and level (the
    /// file has changed since, so their key can no longer match; entries that did not record
    /// their level count as the same level), and those whose model file no longer exists (a
    /// file put back at that path has another file number, so another key). Folders without
    /// a readable `source.json`, and names starting with a dot (another process's staging
    /// folder), are left alone. Returns the names removed.
    @discardableResult
    func pruneStaleEntries(keeping kept: URL, source: Source, logger: Logger) -> [String] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else { return [] }
        var removed: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") && name != kept.lastPathComponent {
            let entry = directory.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: entry.appendingPathComponent("source.json")),
                let other = try? JSONDecoder().decode(Source.self, from: data)
            else { continue }
            let replaced = other.model == source.model && other.onnxruntime == source.onnxruntime
                && (other.level == nil || other.level == source.level)
            guard replaced || !manager.fileExists(atPath: other.model) else { continue }
            do {
                try manager.removeItem(at: entry)
                removed.append(name)
            } catch {
                logger.notice("cannot remove the stale optimised graph \(entry.path): \(error.localizedDescription)")
            }
        }
        if !removed.isEmpty {
            logger.info("removed \(removed.count) optimised graph(s) whose model changed or is gone: \(removed.joined(separator: ", "))")
        }
        return removed
    }
}
