// swift-tools-version: 6.2
// A package that uses swift-embed the way an application does: only the `EmbedEngine`
// product (no server, no CLI, no model store download code beyond what the engine links).
// `make test-library` builds it with its own build folder and runs it on the real model.
// In an application, replace the path with the published repository and a version:
//     .package(url: "https://github.com/<owner>/swift-embed", from: "0.3.0")
import PackageDescription

let package = Package(
    name: "library-consumer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-embed", path: "../.."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "search",
            dependencies: [
                .product(name: "EmbedEngine", package: "swift-embed"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
