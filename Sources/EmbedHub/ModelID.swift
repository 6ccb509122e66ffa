/// A Hugging Face repository id such as `sentence-transformers/all-MiniLM-L6-v2`, checked so
/// that it can never name a path outside its cache folder.
public struct ModelID: Sendable, Hashable, CustomStringConvertible {
    /// The owner (user or organisation); `nil` for legacy ids without one (`bert-base-uncased`).
    public let owner: String?
    /// The repository name.
    public let name: String

    /// Parses and validates `string`: one or two parts separated by `/`, each 1–96 characters
    /// among letters, digits, `-`, `_` and `.`, not starting or ending with `-` or `.`, and
    /// without `--` or `..` (the cache folder name uses `--` as its separator).
    public init(_ string: String) throws(HubError) {
        let parts = string.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 1 || parts.count == 2 else {
            throw HubError(.invalidModelID, "invalid model id '\(string)': expected 'owner/name' or 'name'")
        }
        for part in parts {
            if let problem = Self.problem(with: part) {
                throw HubError(.invalidModelID, "invalid model id '\(string)': \(problem)")
            }
        }
        owner = parts.count == 2 ? parts[0] : nil
        name = parts[parts.count - 1]
    }

    private static func problem(with part: String) -> String? {
        guard !part.isEmpty else { return "an empty part" }
        guard part.count <= 96 else { return "a part longer than 96 characters" }
        let allowed = part.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar))
        }
        guard allowed else { return "only letters, digits, '-', '_' and '.' are allowed in '\(part)'" }
        guard !part.contains(".."), !part.contains("--") else { return "'..' and '--' are not allowed in '\(part)'" }
        guard let first = part.first, let last = part.last, !"-.".contains(first), !"-.".contains(last) else {
            return "'\(part)' cannot start or end with '-' or '.'"
        }
        return nil
    }

    /// `owner/name` (or `name`).
    public var description: String { owner.map { "\($0)/\(name)" } ?? name }

    /// The cache folder name: `models--owner--name`.
    public var cacheFolderName: String { "models--" + (owner.map { "\($0)--" } ?? "") + name }
}

/// A revision: a branch or tag name, or a commit hash.
public struct Revision: Sendable, Hashable, CustomStringConvertible {
    /// The revision as given.
    public let value: String

    /// Validates `value`: no `..`, no leading `/`, no control characters or backslashes.
    public init(_ value: String) throws(HubError) {
        guard !value.isEmpty, value.count <= 200, !value.hasPrefix("/"), !value.contains(".."),
            value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0 != "\\" && $0.value != 0x7F })
        else {
            throw HubError(.invalidModelID, "invalid revision '\(value)'")
        }
        self.value = value
    }

    /// The default branch.
    public static let main = Revision(unchecked: "main")

    private init(unchecked value: String) {
        self.value = value
    }

    /// Whether this is a full 40-character commit hash.
    public var isCommit: Bool {
        value.count == 40 && value.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    /// The revision.
    public var description: String { value }
}
