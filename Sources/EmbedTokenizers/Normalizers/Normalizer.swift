import Foundation
import EmbedCore

/// A `tokenizer.json` normalizer.
indirect enum Normalizer: Sendable, Decodable {
    case bert(BertNormalizer)
    case lowercase
    case unicode(UnicodeNormalization)
    case stripAccents
    case strip(left: Bool, right: Bool)
    case replace(pattern: TextPattern, content: [UInt32])
    case prepend([UInt32])
    case precompiled(Precompiled)
    case byteLevel
    case nmt
    case sequence([Normalizer])

    static let supportedTypes = [
        "BertNormalizer", "ByteLevel", "Lowercase", "NFC", "NFD", "NFKC", "NFKD", "Nmt", "Precompiled", "Prepend",
        "Replace", "Sequence", "Strip", "StripAccents",
    ]

    init(from decoder: any Decoder) throws {
        let type = try decoder.componentType("normalizer")
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        let name = "normalizer \(type)"
        switch type {
        case "BertNormalizer":
            self = .bert(try BertNormalizer(from: decoder))
        case "Lowercase", "StripAccents", "ByteLevel", "Nmt", "NFC", "NFD", "NFKC", "NFKD":
            try decoder.rejectUnknownKeys(["type"], in: name)
            switch type {
            case "Lowercase": self = .lowercase
            case "StripAccents": self = .stripAccents
            case "ByteLevel": self = .byteLevel
            case "Nmt": self = .nmt
            default: self = .unicode(UnicodeNormalization(rawValue: type) ?? .nfc)
            }
        case "Strip":
            try decoder.rejectUnknownKeys(["type", "strip_left", "strip_right"], in: name)
            self = .strip(
                left: try container.optional(Bool.self, "strip_left") ?? true,
                right: try container.optional(Bool.self, "strip_right") ?? true)
        case "Replace":
            try decoder.rejectUnknownKeys(["type", "pattern", "content"], in: name)
            self = .replace(
                pattern: try container.value(TextPattern.self, "pattern"),
                content: try container.value(String.self, "content").unicodeScalars.map(\.value))
        case "Prepend":
            try decoder.rejectUnknownKeys(["type", "prepend"], in: name)
            self = .prepend(try container.value(String.self, "prepend").unicodeScalars.map(\.value))
        case "Precompiled":
            try decoder.rejectUnknownKeys(["type", "precompiled_charsmap"], in: name)
            let encoded = try container.value(String.self, "precompiled_charsmap")
            guard let blob = Data(base64Encoded: encoded) else {
                throw TokenizerError(.invalidConfiguration, "\(name) precompiled_charsmap is not valid base64")
            }
            self = .precompiled(Precompiled(map: try CharsMap(blob)))
        case "Sequence":
            try decoder.rejectUnknownKeys(["type", "normalizers"], in: name)
            self = .sequence(try container.value([Normalizer].self, "normalizers"))
        default:
            throw unsupported("normalizer", type, supported: Self.supportedTypes)
        }
    }

    /// Normalizes `text`, a part of the input that starts at original offset `origin`.
    func normalize(_ text: NormalizedText, origin: Int32, scratch: inout EncodeScratch) -> NormalizedText {
        switch self {
        case .bert(let bert):
            return bert.normalize(text)
        case .lowercase:
            return BertNormalizer.lowercased(text)
        case .unicode(let form):
            return form.normalize(text, origin: origin)
        case .stripAccents:
            return Self.filter(text) { !UnicodeProperties.combiningMark.contains($0) }
        case .strip(let left, let right):
            return Self.strip(text, left: left, right: right)
        case .replace(let pattern, let content):
            return Self.replace(text, pattern: pattern, content: content, origin: origin, scratch: &scratch)
        case .prepend(let prefix):
            return Self.prepend(prefix, to: text)
        case .precompiled(let precompiled):
            return precompiled.normalize(text, origin: origin)
        case .byteLevel:
            var pieces = [0..<text.count]
            return ByteLevel.mapBytes(text, pieces: &pieces, scratch: &scratch)
        case .nmt:
            return Self.nmt(text)
        case .sequence(let normalizers):
            var current = text
            for normalizer in normalizers { current = normalizer.normalize(current, origin: origin, scratch: &scratch) }
            return current
        }
    }
}
