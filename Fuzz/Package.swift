// swift-tools-version:6.1
import PackageDescription

// A libFuzzer target for the archive reader. Its targets are symlinks to the library's own sources
// (Sources/TrainingCore, and Sources/TrainingDatasets' Archives folder and DiskSpaceGuard.swift), so
// the fuzzed code is the code that ships, and only it and compress-nio are instrumented. Build and
// run it with scripts/fuzz-archives.sh (CI runs it; a new dependency of the archive reader on another
// file of TrainingDatasets breaks this build there, and its symlink belongs here).

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ArchiveInspectorFuzz",
    dependencies: [
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "TrainingCore",
            dependencies: [.product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TrainingDatasets",
            dependencies: [
                "TrainingCore",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ArchiveInspectorFuzz",
            dependencies: ["TrainingDatasets"],
            swiftSettings: strictSettings
        ),
    ]
)
