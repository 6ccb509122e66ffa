import Dispatch
import EmbedTokenizers
import Foundation
import Synchronization

/// A `tokenizer.json` being parsed on another thread, so that parsing overlaps with the
/// creation of the ONNX Runtime session (the two slowest steps of loading a model).
final class TokenizerLoad: Sendable {
    let url: URL
    private let done = DispatchSemaphore(value: 0)
    private let outcome = Mutex<Result<Tokenizer, EmbedError>?>(nil)

    /// Starts parsing `url`.
    init(_ url: URL) {
        self.url = url
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result = Result { () throws(EmbedError) in try Self.parse(url) }
            outcome.withLock { $0 = result }
            done.signal()
        }
    }

    /// The tokenizer, waiting for the parse to finish. Blocks: call it from the engine's own
    /// threads only.
    func value() throws(EmbedError) -> Tokenizer {
        let result = outcome.withLock { $0 } ?? {
            done.wait()
            done.signal()  // later callers return at once
            return outcome.withLock { $0 }
        }()
        guard let result else { throw EmbedError(.runtime, "parsing \(url.path) did not finish") }
        return try result.get()
    }

    private static func parse(_ url: URL) throws(EmbedError) -> Tokenizer {
        do {
            return try Tokenizer(contentsOf: url)
        } catch {
            let code: EmbedError.Code = error.code == .unreadable ? .modelNotFound : .invalidModel
            throw EmbedError(code, "cannot use tokenizer \(url.path): \(error.message)", underlying: error)
        }
    }
}
