public import Foundation

/// Turns OpenAI token ids back into text: the ranks of a tiktoken encoding file
/// (`cl100k_base.tiktoken`: one `base64-bytes rank` line per token) and its special tokens.
///
/// Clients that follow OpenAI's API send token ids of OpenAI's own tokenizer: LangChain's
/// `OpenAIEmbeddings` by default tokenizes with tiktoken `cl100k_base` and sends the id
/// arrays. A model of ours has another vocabulary, so those ids only mean something once
/// decoded to text, as `tiktoken.Encoding.decode` does (bytes joined, invalid UTF-8
/// replaced with U+FFFD).
public struct TiktokenDecoder: Sendable {
    /// The encoding's name, e.g. `cl100k_base`.
    public let name: String
    private let tokens: [[UInt8]]
    private let specials: [Int: String]

    /// `cl100k_base`'s special tokens (tiktoken's `openai_public.py`).
    public static let cl100kSpecialTokens: [Int: String] = [
        100_257: "<|endoftext|>", 100_258: "<|fim_prefix|>", 100_259: "<|fim_middle|>", 100_260: "<|fim_suffix|>",
        100_276: "<|endofprompt|>",
    ]

    /// The SHA-256 of the published `cl100k_base.tiktoken` (tiktoken checks the same hash).
    public static let cl100kSHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"

    /// Parses an encoding file; every line must be `base64 rank` with ranks 0, 1, 2… in order.
    public init(name: String, data: Data, specialTokens: [Int: String]) throws(TokenizerError) {
        var tokens: [[UInt8]] = []
        tokens.reserveCapacity(100_256)
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).enumerated() {
            let parts = line.split(separator: UInt8(ascii: " "))
            guard parts.count == 2, let rank = Int(String(decoding: parts[1], as: UTF8.self)), rank == index,
                let bytes = Data(base64Encoded: Data(parts[0]))
            else {
                throw TokenizerError(.invalidFormat, "\(name): line \(index + 1) is not '<base64 bytes> \(index)'")
            }
            tokens.append([UInt8](bytes))
        }
        guard !tokens.isEmpty else { throw TokenizerError(.invalidFormat, "\(name): the encoding file is empty") }
        for id in specialTokens.keys where id < tokens.count {
            throw TokenizerError(.invalidConfiguration, "\(name): special token id \(id) is also an ordinary token")
        }
        self.name = name
        self.tokens = tokens
        self.specials = specialTokens
    }

    /// Reads `cl100k_base.tiktoken` from `url`.
    public static func cl100k(contentsOf url: URL) throws(TokenizerError) -> TiktokenDecoder {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError(.unreadable, "cannot read \(url.path): \(error.localizedDescription)")
        }
        return try TiktokenDecoder(name: "cl100k_base", data: data, specialTokens: cl100kSpecialTokens)
    }

    /// How many ids the encoding knows, special tokens included.
    public var vocabularySize: Int { tokens.count + specials.count }

    /// Whether `id` is a token of this encoding.
    public func contains(_ id: Int) -> Bool { (0..<tokens.count).contains(id) || specials[id] != nil }

    /// The text of `ids`; the index of the first id that is not a token of this encoding
    /// is an error.
    public func decode(_ ids: [Int]) throws(TokenizerError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for (index, id) in ids.enumerated() {
            if (0..<tokens.count).contains(id) {
                bytes += tokens[id]
            } else if let special = specials[id] {
                bytes += Array(special.utf8)
            } else {
                throw TokenizerError(
                    .invalidArgument, "token \(index) is \(id), which is not a \(name) token (0…\(tokens.count - 1))")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
