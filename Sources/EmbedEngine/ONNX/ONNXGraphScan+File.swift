public import EmbedCore
public import Foundation

extension ONNXGraphScan {
    /// Scans the ONNX file at `url` (memory-mapped: only the parts read are loaded).
    public init(contentsOf url: URL) throws(EmbedError) {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw EmbedError(.modelNotFound, "cannot read \(url.path): \(error.localizedDescription)")
        }
        do {
            try self.init(bytes: data)
        } catch {
            throw EmbedError(.invalidModel, "\(url.lastPathComponent) is not a valid ONNX file: \(error.message)", underlying: error)
        }
    }
}
