// swift-tools-version: 6.2
import PackageDescription

/// One block of strict settings for every target.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Every target except the C owner modules is checked for unsafe constructs: the only
/// modules that may touch raw pointers are the ONNX Runtime binding (`EmbedORT`), the
/// OpenVINO binding (`EmbedOpenVINO`) and the image codecs (`EmbedImaging`).
let safeSettings: [SwiftSetting] = strictSettings + [.strictMemorySafety()]

let package = Package(
    name: "swift-embed",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EmbedEngine", targets: ["EmbedEngine"]),
        .library(name: "EmbedEngineTesting", targets: ["EmbedEngineTesting"]),
        .library(name: "EmbedTokenizers", targets: ["EmbedTokenizers"]),
        .library(name: "EmbedCore", targets: ["EmbedCore"]),
        .library(name: "EmbedORT", targets: ["EmbedORT"]),
        .library(name: "EmbedHub", targets: ["EmbedHub"]),
        .library(name: "EmbedServer", targets: ["EmbedServer"]),
        .library(name: "EmbedImaging", targets: ["EmbedImaging"]),
        .library(name: "EmbedVision", targets: ["EmbedVision"]),
        .library(name: "EmbedOpenVINO", targets: ["EmbedOpenVINO"]),
        .library(name: "EmbedRedis", targets: ["EmbedRedis"]),
        .library(name: "EmbedRedisCache", targets: ["EmbedRedisCache"]),
        .executable(name: "embed", targets: ["embed"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "EmbedORT",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EmbedOpenVINO",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // Image codecs: the C libraries Pillow itself uses, found through pkg-config.
        .systemLibrary(
            name: "CJPEG", pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"]), .brew(["jpeg-turbo"])]
        ),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .systemLibrary(
            name: "CWebP", pkgConfig: "libwebpdemux", providers: [.apt(["libwebp-dev"]), .brew(["webp"])]
        ),
        .target(name: "CEmbedImaging", dependencies: ["CJPEG", "CPNG"]),
        .target(name: "EmbedImaging", dependencies: ["CEmbedImaging", "CWebP"], swiftSettings: strictSettings),
        .target(name: "EmbedVision", dependencies: ["EmbedImaging"], swiftSettings: safeSettings),
        .target(
            name: "EmbedRedis",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: safeSettings
        ),
        .target(
            name: "EmbedRedisCache",
            dependencies: [
                "EmbedEngine", "EmbedRedis",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: safeSettings
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
                "EmbedORT", "EmbedOpenVINO", "EmbedTokenizers", "EmbedCore", "EmbedHub", "EmbedImaging", "EmbedVision",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: safeSettings
        ),
        .target(
            name: "EmbedEngineTesting",
            dependencies: ["EmbedEngine", "EmbedTokenizers", "EmbedCore"],
            swiftSettings: safeSettings
        ),
        .target(
            name: "EmbedServer",
            dependencies: [
                "EmbedEngine", "EmbedCore", "EmbedTokenizers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: safeSettings
        ),
        .executableTarget(
            name: "embed",
            dependencies: [
                "EmbedEngine", "EmbedHub", "EmbedORT", "EmbedOpenVINO", "EmbedTokenizers", "EmbedCore", "EmbedServer",
                "EmbedRedis", "EmbedRedisCache",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: safeSettings
        ),

        .target(
            name: "EmbedTestSupport",
            dependencies: ["EmbedORT", .product(name: "Logging", package: "swift-log")],
            path: "Tests/EmbedTestSupport",
            swiftSettings: safeSettings
        ),
        .target(
            name: "FakeHub",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/FakeHub",
            swiftSettings: safeSettings
        ),
        .testTarget(
            name: "EmbedHubTests",
            dependencies: ["EmbedHub", "FakeHub", "EmbedTestSupport", .product(name: "Crypto", package: "swift-crypto")],
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
            name: "EmbedImagingTests", dependencies: ["EmbedImaging"], swiftSettings: safeSettings
        ),
        .testTarget(
            name: "EmbedVisionTests", dependencies: ["EmbedVision", "EmbedImaging"], swiftSettings: safeSettings
        ),
        .testTarget(
            name: "EmbedOpenVINOTests",
            dependencies: ["EmbedOpenVINO", .product(name: "Logging", package: "swift-log")],
            swiftSettings: safeSettings
        ),
        .testTarget(
            name: "EmbedRedisTests",
            dependencies: [
                "EmbedRedis", "EmbedRedisCache", "EmbedEngine", "EmbedEngineTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: safeSettings
        ),
        .executableTarget(
            name: "clip-latency",
            dependencies: [
                "EmbedCore", "EmbedEngine", "EmbedImaging", "EmbedORT", "EmbedVision",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/clip-latency",
            swiftSettings: safeSettings
        ),
        .executableTarget(
            name: "imaging-bench",
            dependencies: ["EmbedImaging", "EmbedVision"],
            path: "bench/imaging-bench",
            swiftSettings: safeSettings
        ),
        .testTarget(
            name: "EmbedCoreTests",
            dependencies: ["EmbedCore"],
            swiftSettings: safeSettings
        ),
        .testTarget(
            name: "EmbedEngineTests",
            dependencies: [
                "EmbedEngine", "EmbedEngineTesting", "EmbedCore", "EmbedORT", "EmbedOpenVINO", "EmbedHub", "EmbedTokenizers",
                "EmbedImaging", "EmbedTestSupport",
            ],
            swiftSettings: safeSettings
        ),
        .testTarget(
            name: "EmbedServerTests",
            dependencies: [
                "EmbedServer", "EmbedEngine", "EmbedEngineTesting", "EmbedCore", "EmbedTestSupport", "FakeHub",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: safeSettings
        ),
        .testTarget(
            name: "embedTests",
            dependencies: [
                "embed", "EmbedEngine", "EmbedServer", "EmbedCore", "EmbedHub", "EmbedORT", "EmbedTestSupport", "FakeHub",
                "EmbedRedis", "EmbedRedisCache",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: safeSettings
        ),
    ]
)
