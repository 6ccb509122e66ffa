import EmbedEngine
import Foundation
import Logging

// Semantic search in a dozen lines: embed a few documents and a query, rank by cosine.
//     search MODEL_FOLDER "query"
// ONNX Runtime is found as the library finds it: ORT_DYLIB_PATH, then the usual places.
let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: search MODEL_FOLDER QUERY\n".utf8))
    exit(2)
}
let documents = [
    "To reset your password, open Settings and choose Security.",
    "Our office is closed on public holidays.",
    "The invoice is sent by email at the start of each month.",
    "Two-factor authentication adds a code from your phone to the login.",
]
let logger = Logger(label: "search")
do {
    let embedder = try await Embedder(.folder(URL(fileURLWithPath: arguments[1])), logger: logger)
    let vectors = try await embedder.embed(documents + [arguments[2]])
    let query = vectors[documents.count]
    // The vectors are unit length: the dot product is the cosine.
    let scores = vectors.prefix(documents.count).map { zip($0, query).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
    for (score, document) in zip(scores, documents).sorted(by: { $0.0 > $1.0 }) {
        print(String(format: "%.4f  %@", score, document))
    }
} catch {
    // Every throw above is typed: `error` is an `EmbedError`, whose description names the problem.
    FileHandle.standardError.write(Data("search: \(error)\n".utf8))
    exit(1)
}
