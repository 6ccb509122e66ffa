/// A release number of OpenVINO, `year.release.patch` (e.g. `2026.4.1`).
public struct OVVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// The first number, the year of the release line (2026).
    public var major: Int
    /// The release within the year (4).
    public var minor: Int
    /// The patch release (1).
    public var patch: Int

    /// Creates a version.
    public init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses the start of a build number such as `2026.4.1-22982-e213a147257-releases/2026/4`.
    public init?(parsing text: String) {
        let release = text.prefix { $0 != "-" && $0 != " " }
        let parts = release.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count >= 2, let major = parts[0], let minor = parts[1] else { return nil }
        self.init(major, minor, parts.count > 2 ? (parts[2] ?? 0) : 0)
    }

    /// `major.minor.patch`.
    public var description: String { "\(major).\(minor).\(patch)" }

    /// Orders versions by major, then minor, then patch.
    public static func < (lhs: OVVersion, rhs: OVVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }
}
