// swift-tools-version:6.1
import PackageDescription

/// Settings every hand-written target shares (grpc-swift-2's Package.swift).
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The recognizer's numeric code (audio features, training) is 10 to 30 times slower unoptimised,
/// so it is compiled with optimisation even in debug builds. SwiftPM refuses unsafe flags in a
/// package depended on by version, so only targets in no product use these settings: the example
/// service's recognizer, its evaluation and their tests (the root package still runs `stt-service`
/// and `SpeechEvaluation`, whose executable products SwiftPM makes for a root package).
let numericSettings: [SwiftSetting] = strictSettings + [.unsafeFlags(["-O"])]

let package = Package(
    name: "snet-training",
    products: [
        // What a provider writes against (Sources/SNETTraining/Exports.swift).
        .library(name: "SNETTraining", targets: ["SNETTraining"]),
        // training.proto's generated types, which a provider's generated code imports.
        .library(name: "TrainingProto", targets: ["TrainingProto"]),
        // The model registry (SQLite, PostgreSQL) and the job runner, for those who assemble
        // their own server; SNETTraining opens them from its configuration.
        .library(name: "TrainingRegistry", targets: ["TrainingRegistry"]),
        .library(name: "TrainingJobs", targets: ["TrainingJobs"]),
        .library(name: "TrainingClient", targets: ["TrainingClient"]),
        .executable(name: "snet-train", targets: ["snet-train"]),
        .executable(name: "training-gateway", targets: ["training-gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // training-gateway-benchmark's relay floor: HTTP/2 frames relayed without a gRPC call layer.
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        // Configuration file (YAML or JSON), environment and flags for servers; YAML through Yams.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        // training-gateway: provider trainers run as subprocesses (process groups, teardown); FilePath.
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.5.0"),
        // Operations (issue 13): metrics, Prometheus export, the admin HTTP listener and dashboard, TLS.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // Generated code (scripts/generate-protos.sh); never edited by hand.
        .target(
            name: "TrainingProto",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "ExampleServiceProto",
            dependencies: [
                "TrainingProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "ReflectionProto",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "HealthProto",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),

        .target(
            name: "TrainingCore",
            dependencies: [.product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: strictSettings
        ),
        // sync_file_range for the upload writer: Swift's Glibc module does not expose it.
        .target(name: "CWriteback"),
        // malloc_trim for the idle memory trimmer: Swift's Glibc module does not expose malloc.h.
        .target(name: "CAllocator"),
        .target(
            name: "TrainingDatasets",
            dependencies: [
                "TrainingCore",
                "CWriteback",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TrainingRegistry",
            dependencies: [
                "TrainingCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Only for ConnectionPoolError: the pool's "gave up connecting" is how an outage shows.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TrainingJobs",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                "TrainingCore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The workflow of the eight operations over the plug points: no proto, no SQL, no transport.
        .target(
            name: "TrainingEngine",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                "TrainingCore",
                "TrainingDatasets",
                "TrainingJobs",
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TrainingGRPC",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                "TrainingProto",
                "ReflectionProto",
                "TrainingCore",
                "TrainingDatasets",
                "TrainingEngine",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TrainingOperations",
            dependencies: [
                "HealthProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Templates")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SNETTraining",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                "CAllocator",
                "TrainingCore",
                "TrainingDatasets",
                "TrainingJobs",
                "TrainingEngine",
                "TrainingRegistry",
                "TrainingGRPC",
                "TrainingProto",
                "TrainingOperations",
                "HealthProto",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TrainingClient",
            dependencies: [
                "TrainingProto",
                "ReflectionProto",
                "TrainingCore",
                "TrainingDatasets",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SpeechCommands",
            exclude: ["Resources/en-us-phonetic.LICENSE"],
            resources: [.copy("Resources/en-us-phonetic.bin")],
            swiftSettings: numericSettings
        ),
        .target(
            name: "STTService",
            dependencies: [
                "TrainingCore",
                "SNETTraining",
                "ExampleServiceProto",
                "SpeechCommands",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "stt-service",
            dependencies: [
                "STTService",
                "SNETTraining",
                "TrainingOperations",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("DefaultDataset")],
            swiftSettings: strictSettings
        ),
        // Prints the recognizer's figures (scripts/evaluate-recognizer.sh builds its test sets).
        .executableTarget(
            name: "SpeechEvaluation",
            dependencies: [
                "SpeechCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: numericSettings
        ),
        .executableTarget(
            name: "TrainingBenchmarks",
            dependencies: [
                "TrainingCore", "TrainingDatasets", "TrainingRegistry",
                "SNETTraining",
                "TrainingTesting",
                "TrainingProto",
                "ExampleServiceProto",
                "STTService",
                "SpeechCommands",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "snet-train",
            dependencies: [
                "TrainingClient",
                "TrainingProto",
                "TrainingCore",
                "TrainingDatasets",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TrainingTesting",
            dependencies: [
                "TrainingProto",
                "TrainingCore", "TrainingDatasets", "TrainingEngine", "TrainingJobs",
                "SNETTraining",
                "TrainingClient",
                "ExampleServiceProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),

        // Any-language providers: subprocess trainers and forwarding to the provider's own service.
        .target(
            name: "TrainingGateway",
            dependencies: [
                "TrainingCore",
                "SNETTraining",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The gateway's forwarding overhead (README "Measured figures"): a separate small executable.
        .executableTarget(
            name: "training-gateway-benchmark",
            dependencies: [
                "TrainingCore", "TrainingProto", "ExampleServiceProto", "TrainingTesting",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "training-gateway",
            dependencies: [
                "TrainingGateway",
                "SNETTraining",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),

        .testTarget(
            name: "TrainingCoreTests",
            dependencies: ["TrainingCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrainingJobsTests",
            dependencies: [
                "TrainingJobs", "TrainingCore", "TrainingTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrainingEngineTests",
            dependencies: [
                "TrainingEngine", "TrainingCore", "TrainingDatasets", "TrainingJobs", "TrainingTesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrainingGRPCTests",
            dependencies: [
                "TrainingGRPC", "TrainingEngine", "TrainingCore", "ExampleServiceProto", "TrainingProto", "TrainingTesting",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrainingDatasetsTests",
            dependencies: [
                "TrainingClient", "TrainingCore",
                "TrainingDatasets", "TrainingTesting",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrainingRegistryTests",
            dependencies: [
                "TrainingRegistry", "TrainingCore", "TrainingTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SpeechCommandsTests",
            dependencies: ["SpeechCommands"],
            exclude: ["Fixtures"],  // read by path, like the shipped dataset
            swiftSettings: numericSettings
        ),
        .testTarget(
            name: "SNETTrainingTests",
            dependencies: [
                "SNETTraining", "TrainingTesting",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SNETTrainCLITests",
            dependencies: [
                // The CLI's own code, for the rules that need no process (its wording of next steps).
                "snet-train",
                "TrainingTesting", "TrainingClient", "SNETTraining", "ExampleServiceProto", "ReflectionProto", "TrainingProto",
                "TrainingCore", "TrainingDatasets",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TrainingCore", "TrainingDatasets", "TrainingProto", "TrainingRegistry",
                "TrainingTesting", "SNETTraining", "ExampleServiceProto", "SpeechCommands", "STTService",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrainingOperationsTests",
            dependencies: [
                "TrainingProto",
                "TrainingGRPC",
                "TrainingTesting", "SNETTraining", "TrainingOperations", "TrainingGateway", "HealthProto", "ExampleServiceProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrainingGatewayTests",
            dependencies: [
                "TrainingCore",
                "TrainingGateway", "SNETTraining", "TrainingProto", "TrainingTesting",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
