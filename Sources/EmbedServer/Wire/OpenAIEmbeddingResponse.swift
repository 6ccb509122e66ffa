import Foundation

/// The body of a `POST /v1/embeddings` answer, as OpenAI sends it.
struct OpenAIEmbeddingResponse: Encodable, Sendable {
    /// One vector: a JSON array of numbers, or the base64 of its little-endian float32 bytes.
    enum Vector: Encodable, Sendable {
        case float([Float])
        case base64(String)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .float(let values): try container.encode(values)
            case .base64(let text): try container.encode(text)
            }
        }
    }

    struct Item: Encodable, Sendable {
        var object = "embedding"
        var index: Int
        var embedding: Vector
    }

    struct Usage: Encodable, Sendable {
        var promptTokens: Int
        var totalTokens: Int

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case totalTokens = "total_tokens"
        }
    }

    var object = "list"
    var data: [Item]
    var model: String
    var usage: Usage
}

/// Vectors as OpenAI's `encoding_format: "base64"`: float32 values, little-endian, base64.
enum Base64Floats {
    static func encode(_ values: [Float]) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            let bits = value.bitPattern.littleEndian
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
        }
        return Data(bytes).base64EncodedString()
    }
}
