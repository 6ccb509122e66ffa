import EmbedEngine
import Foundation
import Logging

// In-process, no server: the library `embed serve` runs on (product "EmbedEngine").
LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }  // the default is stdout
let logger = Logger(label: "my-app")
let folder = ProcessInfo.processInfo.environment["EMBED_MODEL_DIR"] ?? "models/all-MiniLM-L6-v2"
let embedder = try await Embedder(.folder(URL(fileURLWithPath: folder)), logger: logger)
let texts = ["A man is eating food.", "Grüße aus Köln 🙂 — naïve café", "東京は日本の首都です。"]
let vectors = try await embedder.embed(texts)  // [[Float]]: one unit vector per text, in order

struct Output: Encodable { let texts: [String]; let vectors: [[Float]] }
print(String(decoding: try JSONEncoder().encode(Output(texts: texts, vectors: vectors)), as: UTF8.self))
