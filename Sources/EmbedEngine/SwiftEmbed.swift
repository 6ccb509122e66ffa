/// The project's own facts, in one place.
public enum SwiftEmbed {
    /// The version of swift-embed (`embed --version`, the server's `/info`).
    public static let version = "0.3.0"
}
