// swift-tools-version:6.1
import PackageDescription

// A libFuzzer target for the archive reader. It compiles the library's archive sources (through the
// Sources/TrainingDatasets symlink) on their own, so that only they and compress-nio are instrumented.
// Build and run it with scripts/fuzz-archives.sh.

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ArchiveInspectorFuzz",
    dependencies: [
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0")
    ],
    targets: [
        .target(
            name: "TrainingDatasets",
            dependencies: [.product(name: "CompressNIO", package: "compress-nio")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ArchiveInspectorFuzz",
            dependencies: ["TrainingDatasets"],
            swiftSettings: strictSettings
        ),
    ]
)
