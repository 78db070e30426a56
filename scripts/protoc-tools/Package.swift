// swift-tools-version:6.0
// Builds the two protoc plugins at the exact versions the committed generated code came from.
// Used only by scripts/generate-protos.sh; not part of the main package.
import PackageDescription

let package = Package(
    name: "protoc-tools",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", exact: "2.4.1"),
    ]
)
