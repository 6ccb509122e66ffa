// swift-tools-version: 6.2
import PackageDescription

/// One block of strict settings for every target.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Every target except `EmbedORT` is checked for unsafe constructs: the only module that
/// may touch raw pointers is the ONNX Runtime binding.
let safeSettings: [SwiftSetting] = strictSettings + [.strictMemorySafety()]

let package = Package(
    name: "swift-embed",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EmbedEngine", targets: ["EmbedEngine"]),
        .library(name: "EmbedTokenizers", targets: ["EmbedTokenizers"]),
        .library(name: "EmbedCore", targets: ["EmbedCore"]),
        .library(name: "EmbedORT", targets: ["EmbedORT"]),
        .library(name: "EmbedHub", targets: ["EmbedHub"]),
        .executable(name: "embed", targets: ["embed"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "EmbedORT",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(name: "EmbedCore", swiftSettings: safeSettings),
        .target(name: "EmbedTokenizers", dependencies: ["EmbedCore"], swiftSettings: safeSettings),
        .target(
            name: "EmbedHub",
            dependencies: ["EmbedCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: safeSettings
        ),
        .target(
            name: "EmbedEngine",
            dependencies: [
                "EmbedORT", "EmbedTokenizers", "EmbedCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: safeSettings
        ),
        .executableTarget(
            name: "embed",
            dependencies: [
                "EmbedEngine", "EmbedHub", "EmbedORT", "EmbedTokenizers", "EmbedCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: safeSettings
        ),

        .target(
            name: "EmbedTestSupport",
            dependencies: ["EmbedORT", .product(name: "Logging", package: "swift-log")],
            path: "Tests/EmbedTestSupport",
            swiftSettings: safeSettings
        ),
        .testTarget(
            name: "EmbedORTTests",
            dependencies: ["EmbedORT", "EmbedTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EmbedTokenizersTests",
            dependencies: ["EmbedTokenizers", "EmbedTestSupport"],
            swiftSettings: safeSettings
        ),
        .testTarget(
            name: "EmbedCoreTests",
            dependencies: ["EmbedCore"],
            swiftSettings: safeSettings
        ),
        .testTarget(
            name: "EmbedEngineTests",
            dependencies: ["EmbedEngine", "EmbedCore", "EmbedORT", "EmbedTestSupport"],
            swiftSettings: safeSettings
        ),
        .testTarget(
            name: "embedTests",
            dependencies: ["embed", "EmbedEngine", "EmbedTestSupport"],
            swiftSettings: safeSettings
        ),
    ]
)
